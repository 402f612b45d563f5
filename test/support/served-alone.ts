/** An app serving one interface module alone, through the interface router, as the server mounts it. */
import express, { type Express } from 'express';
import { errorMiddleware, notFoundMiddleware } from '../../src/http/error-middleware.js';
import { type InterfaceModule, serve } from '../../src/http/interface-module.js';
import { createInterfaceRouter } from '../../src/http/interface-router.js';
import { loadDocument } from '../../src/openapi/documents.js';

export async function servedAlone<Services>(module: InterfaceModule<Services>, services: Services, prefix: string): Promise<Express> {
  const served = serve(module, services);
  const router = createInterfaceRouter({
    ...served,
    loaded: await loadDocument(served.name),
    basePath: prefix,
    validateResponses: true,
    bodyLimit: '1mb',
    jsonLimits: { maxDepth: 32, maxMembers: 1000, maxValues: 10000 },
  });
  return express().use(prefix, router).use(notFoundMiddleware).use(errorMiddleware);
}
