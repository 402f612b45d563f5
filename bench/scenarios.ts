/** The measured operations, each an autocannon request plan against a loaded population. */
import type { Request } from 'autocannon';
import { familyName, identityOf, PERSON, personId } from './population.js';

export interface Scenario {
  name: string;
  requests: (population: number) => Request[];
  /** Requests per unit of work when a unit is several requests (a createPerson+createIdentity pair is 2). */
  requestsPerUnit?: number;
}

const random = (n: number) => Math.floor(Math.random() * n);
let created = 0;

/** autocannon's per-connection context: the person created by the first request of the pair. */
type PairContext = { id?: string };

function get(path: (population: number) => string): Scenario['requests'] {
  return (population) => [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path(population) }) }];
}

/** A POST whose path and body are drawn together (they often name the same person). */
function post(draw: (population: number) => { path: string; body: unknown }): Scenario['requests'] {
  return (population) => [
    {
      method: 'POST',
      setupRequest: (req) => {
        const { path, body } = draw(population);
        return { ...req, path, body: JSON.stringify(body) };
      },
    },
  ];
}

/** A new credential request per call, for one person of the population; the profile decides the producer. */
function credentialRequest(profile: string): Scenario {
  return {
    name: `createCredentialRequest ${profile}`,
    requests: post((n) => {
      const i = random(n);
      const body = {
        personId: personId(i),
        biographicData: identityOf(i).biographicData,
        requestData: { priority: 5, credentialProfileId: profile, requestType: 'FIRST_ISSUANCE' },
      };
      return { path: `/cms/v1/credentialRequests/CR${process.pid}-${created++}?transactionId=bench`, body };
    }),
  };
}

/** The yardstick's request plan: the bare Express app answers readPerson's path with the same JSON. */
export const YARDSTICK: Scenario = { name: 'bare Express', requests: get((n) => `/pr/v1/persons/${personId(random(n))}`) };

export const SCENARIOS: Scenario[] = [
  {
    name: 'createPerson+createIdentity',
    requestsPerUnit: 2,
    requests: () => [
      {
        method: 'POST',
        setupRequest: (req, context) => {
          const id = `NEW${process.pid}-${created++}`;
          (context as PairContext).id = id;
          return { ...req, path: `/pr/v1/persons/${id}?transactionId=bench`, body: JSON.stringify(PERSON) };
        },
      },
      {
        method: 'POST',
        setupRequest: (req, context) => ({
          ...req,
          path: `/pr/v1/persons/${(context as PairContext).id}/identities?transactionId=bench`,
          body: JSON.stringify(identityOf(created)),
        }),
      },
    ],
  },
  { name: 'readPerson', requests: get((n) => `/pr/v1/persons/${personId(random(n))}?transactionId=bench`) },
  {
    name: 'readIdentity',
    requests: get((n) => `/pr/v1/persons/${personId(random(n))}/identities/ID1?transactionId=bench`),
  },
  {
    name: 'findPersons by lastName',
    requests: post((n) => ({
      path: '/pr/v1/persons?transactionId=bench',
      body: [{ attributeName: 'lastName', operator: '=', value: familyName(random(n)) }],
    })),
  },
  {
    name: 'queryPersonList by lastName',
    requests: get((n) => `/dataaccess/v1/persons?lastName=${familyName(random(n))}`),
  },
  {
    name: 'verify (2 names, signed proof)',
    requests: post((n) => {
      const i = random(n);
      const { firstName, lastName } = identityOf(i).biographicData;
      return { path: `/thirdparty/v1/verify/${personId(i)}?transactionId=bench`, body: { biographicData: { firstName, lastName } } };
    }),
  },
  {
    name: 'readAttributeSet DEFAULT_SET_01',
    requests: get((n) => `/thirdparty/v1/attributes/DEFAULT_SET_01/${personId(random(n))}?transactionId=bench`),
  },
  credentialRequest('RESIDENCE_PERMIT'),
  credentialRequest('NATIONAL_ID_CARD'),
  {
    name: 'readGalleryContent (page of 1000)',
    requests: get((n) => `/pr/v1/galleries/CITIZENS?transactionId=bench&offset=${random(Math.max(1, n - 1000))}`),
  },
];
