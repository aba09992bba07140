import { z } from 'zod';
import { ClusterNameSchema } from '../runs/schemas';
import { EndpointsSchema, ServiceRefSchema, ServiceSpecSchema, ServicesViewSchema, ServiceViewSchema } from '../services/schemas';
import { defineCall, defineEvent } from './define';

/** Services of the built-in framework: kept running, with ports and health checks; their endpoints. */

const ClusterOnly = z.object({ cluster: ClusterNameSchema }).strict();

export const serviceCalls = {
  'services.create': defineCall({
    description: 'Create a service: its instances are launched on the first offers that hold them (cpus, mem and ports) and kept running.',
    input: z.object({ cluster: ClusterNameSchema, spec: ServiceSpecSchema }).strict(),
    output: ServiceViewSchema,
  }),
  'services.list': defineCall({
    description: "The cluster's services: definitions, instances with their state, health and ports, and history.",
    input: ClusterOnly,
    output: ServicesViewSchema,
  }),
  'services.scale': defineCall({
    description: 'Change how many instances a service keeps running (0 keeps the definition, with nothing running).',
    input: ServiceRefSchema.extend({ instances: z.number().int().min(0).max(20) }).strict(),
    output: ServiceViewSchema,
  }),
  'services.restart': defineCall({
    description: 'Kill every instance of a service and launch each again at once.',
    input: ServiceRefSchema,
    output: ServiceViewSchema,
  }),
  'services.remove': defineCall({
    description: 'Kill every instance of a service and forget its definition.',
    input: ServiceRefSchema,
    output: z.object({}),
  }),
  'services.endpoints': defineCall({
    description: "Each service port's host:port per running instance, with health (Marathon's /v1/endpoints).",
    input: ClusterOnly,
    output: EndpointsSchema,
  }),
};

export const serviceEvents = {
  'services.view': defineEvent({
    description: "The cluster's services, whole, then again on every change (an instance's state or health, a relaunch).",
    params: ClusterOnly,
    payload: ServicesViewSchema,
  }),
};
