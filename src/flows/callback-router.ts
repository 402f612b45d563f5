/**
 * `POST /events/v1/{component}/{event}/{secret}`: the callback addresses of our subscriptions, outside the OSIA
 * prefixes. No bearer token (an engine calling notificationCB sends none): the secret in the path is the
 * credential, checked before the body is read. An unknown path or a wrong secret answers 404 alike.
 */
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { NotFoundError } from '../shared/domain-errors.js';
import type { CallbackHeaders, EventCallbacks } from './event-callbacks.js';
import type { Component, Reaction } from './flow-config.js';

/** A Message is small: its `message` is one event's JSON. */
const BODY_LIMIT = '256kb';

type Params = { component: string; event: string; secret: string };

export function createEventCallbackRouter(callbacks: EventCallbacks): Router {
  const router = Router();
  const gate = async (req: Request<Params>, _res: Response, next: NextFunction) => {
    const { component, event, secret } = req.params;
    next((await callbacks.accepts(component, event, secret)) ? undefined : new NotFoundError('No such event callback'));
  };
  const handle = async (req: Request<Params>, res: Response) => {
    const { component, event } = req.params;
    await callbacks.handle(component as Component, event as Reaction, req.headers as CallbackHeaders, req.body);
    res.status(200).end();
  };
  router.post('/events/v1/:component/:event/:secret', gate, express.json({ limit: BODY_LIMIT, type: () => true }), handle);
  return router;
}
