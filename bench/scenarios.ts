/** The measured operations, each an autocannon request plan against a loaded population. */
import type { Request } from 'autocannon';
import { familyName, identityOf, PERSON, personId } from './population.js';

export interface Scenario {
  name: string;
  /** Which server it runs against. */
  target: 'osia' | 'bare';
  requests: (population: number) => Request[];
}

const random = (n: number) => Math.floor(Math.random() * n);
let created = 0;

/** autocannon's per-connection context: the person created by the first request of the pair. */
type PairContext = { id?: string };

function get(path: (population: number) => string): Scenario['requests'] {
  return (population) => [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path(population) }) }];
}

function post(path: (population: number) => string, body: (population: number) => unknown): Scenario['requests'] {
  return (population) => [
    {
      method: 'POST',
      setupRequest: (req) => ({ ...req, path: path(population), body: JSON.stringify(body(population)) }),
    },
  ];
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'createPerson+createIdentity',
    target: 'osia',
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
  { name: 'readPerson', target: 'osia', requests: get((n) => `/pr/v1/persons/${personId(random(n))}?transactionId=bench`) },
  { name: 'readPerson (bare Express)', target: 'bare', requests: get((n) => `/pr/v1/persons/${personId(random(n))}`) },
  {
    name: 'readIdentity',
    target: 'osia',
    requests: get((n) => `/pr/v1/persons/${personId(random(n))}/identities/ID1?transactionId=bench`),
  },
  {
    name: 'findPersons by lastName',
    target: 'osia',
    requests: post(
      () => '/pr/v1/persons?transactionId=bench',
      (n) => [{ attributeName: 'lastName', operator: '=', value: familyName(random(n)) }],
    ),
  },
  {
    name: 'queryPersonList by lastName',
    target: 'osia',
    requests: get((n) => `/dataaccess/v1/persons?lastName=${familyName(random(n))}`),
  },
  {
    name: 'readGalleryContent (page of 1000)',
    target: 'osia',
    requests: get((n) => `/pr/v1/galleries/CITIZENS?transactionId=bench&offset=${random(Math.max(1, n - 1000))}`),
  },
];
