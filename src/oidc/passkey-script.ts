/**
 * The browser side of passkeys, served as `GET <oidc>/passkeys/passkeys.js` (the pages allow scripts of their own
 * origin only, so nothing inline). Plain ES2017 for any browser that has WebAuthn, no bundler: it wires the buttons
 * the fragments of passkey-fragments.ts render (hidden until it runs), converts base64url to and from the
 * ArrayBuffers WebAuthn takes, and states progress in the fragment's aria-live region, in the page's language
 * (the texts come with the fragment as `data-msg-*` attributes).
 */
export const PASSKEY_SCRIPT = String.raw`(function () {
  'use strict';

  function toBuffer(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4 !== 0) base64 += '=';
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = '';
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function send(method, url, body) {
    var init = { method: method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (response) {
      if (response.status === 204) return {};
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) throw new Error(json.message || String(response.status));
        return json;
      });
    });
  }

  function descriptor(item) {
    var out = { type: item.type, id: toBuffer(item.id) };
    if (item.transports) out.transports = item.transports;
    return out;
  }

  function requestOptions(json) {
    var options = { challenge: toBuffer(json.challenge) };
    ['rpId', 'timeout', 'userVerification'].forEach(function (name) {
      if (json[name] !== undefined) options[name] = json[name];
    });
    if (json.allowCredentials) options.allowCredentials = json.allowCredentials.map(descriptor);
    return options;
  }

  function creationOptions(json) {
    var options = {
      challenge: toBuffer(json.challenge),
      rp: json.rp,
      user: { id: toBuffer(json.user.id), name: json.user.name, displayName: json.user.displayName },
      pubKeyCredParams: json.pubKeyCredParams,
      excludeCredentials: (json.excludeCredentials || []).map(descriptor)
    };
    ['timeout', 'attestation', 'authenticatorSelection', 'extensions'].forEach(function (name) {
      if (json[name] !== undefined) options[name] = json[name];
    });
    return options;
  }

  function credentialJSON(credential, response) {
    var json = { id: credential.id, rawId: toBase64url(credential.rawId), type: credential.type, clientExtensionResults: credential.getClientExtensionResults(), response: response };
    if (credential.authenticatorAttachment) json.authenticatorAttachment = credential.authenticatorAttachment;
    return json;
  }

  function assertionJSON(credential) {
    var answer = credential.response;
    var response = { clientDataJSON: toBase64url(answer.clientDataJSON), authenticatorData: toBase64url(answer.authenticatorData), signature: toBase64url(answer.signature) };
    if (answer.userHandle) response.userHandle = toBase64url(answer.userHandle);
    return credentialJSON(credential, response);
  }

  function attestationJSON(credential) {
    var answer = credential.response;
    var response = { clientDataJSON: toBase64url(answer.clientDataJSON), attestationObject: toBase64url(answer.attestationObject) };
    if (typeof answer.getTransports === 'function') response.transports = answer.getTransports();
    return credentialJSON(credential, response);
  }

  function statusOf(element) {
    var box = element.closest('[data-passkey]');
    var region = box && box.querySelector('[data-passkey-status]');
    return function say(key, detail) {
      if (!region) return;
      var text = box.getAttribute('data-msg-' + key) || '';
      region.textContent = detail ? text + ' ' + detail : text;
    };
  }

  function ceremony(button) {
    var login = button.getAttribute('data-passkey-login');
    if (login) {
      return send('POST', login + '/options').then(function (options) {
        return navigator.credentials.get({ publicKey: requestOptions(options) });
      }).then(function (credential) {
        return send('POST', login, assertionJSON(credential));
      }).then(function (result) {
        window.location.assign(result.location);
      });
    }
    var register = button.getAttribute('data-passkey-register');
    return send('POST', register + '/options').then(function (options) {
      return navigator.credentials.create({ publicKey: creationOptions(options) });
    }).then(function (credential) {
      return send('POST', register, attestationJSON(credential));
    }).then(function () {
      window.location.reload();
    });
  }

  function wire(button) {
    var say = statusOf(button);
    if (!window.PublicKeyCredential || !navigator.credentials) {
      say('unsupported');
      return;
    }
    button.hidden = false;
    button.addEventListener('click', function () {
      button.disabled = true;
      say('working');
      ceremony(button).then(function () {
        say('done');
      }, function (error) {
        button.disabled = false;
        if (error && error.name === 'NotAllowedError') say('cancelled');
        else say('failed', error && error.message);
      });
    });
  }

  function wireDelete(button) {
    var say = statusOf(button);
    button.hidden = false;
    button.addEventListener('click', function () {
      button.disabled = true;
      send('DELETE', button.getAttribute('data-passkey-delete')).then(function () {
        window.location.reload();
      }, function (error) {
        button.disabled = false;
        say('failed', error && error.message);
      });
    });
  }

  document.querySelectorAll('[data-passkey-login], [data-passkey-register]').forEach(wire);
  document.querySelectorAll('[data-passkey-delete]').forEach(wireDelete);
})();
`;
