/**
 * The callbacks of our subscriptions (`openapi/events.yaml`), without a bearer token (an engine calling notificationCB
 * sends none): the secret in the path is the credential, checked before the body is read; 404 alike when wrong.
 */
import type { operations } from '../../generated/events.js';
import { NotFoundError } from '../shared/domain-errors.js';
import type { InterfaceModule } from '../http/interface-module.js';
import type { HandlerMap } from '../http/operation-types.js';
import type { EventCallbacks } from './event-callbacks.js';
import type { Component, Reaction } from './flow-config.js';

function createEventHandlers(callbacks: EventCallbacks): HandlerMap<operations> {
  return {
    receiveEvent: async ({ path: { component, event }, headers, body }) => {
      await callbacks.handle(component as Component, event as Reaction, headers, body);
      return { status: 200 };
    },
  };
}

export const eventsInterface: InterfaceModule<EventCallbacks> = {
  name: 'events',
  createHandlers: createEventHandlers,
  createAdmission: (callbacks) => async (_operationId, { component = '', event = '', secret = '' }) => {
    if (!(await callbacks.accepts(component, event, secret))) throw new NotFoundError('No such event callback');
  },
};
