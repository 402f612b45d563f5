// Creates, then uses, a passkey with the relying party that served this page, and says how each ceremony ended.
const status = document.getElementById('status');

async function ceremony(name, run) {
  try {
    const options = await (await fetch(`/${name}/options`, { method: 'POST' })).json();
    const credential = await run(options);
    const response = await fetch(`/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credential.toJSON()),
    });
    status.textContent = `${name}: ${(await response.json()).verified ? 'verified' : 'refused'}`;
  } catch (error) {
    status.textContent = `${name}: ${error.name}`;
  }
}

document.getElementById('register').addEventListener('click', () =>
  ceremony('register', (options) => navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })),
);
document.getElementById('login').addEventListener('click', () =>
  ceremony('login', (options) => navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) })),
);
