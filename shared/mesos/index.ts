// Zod schemas and types of the Mesos JSON the app reads (v1 API shapes, docs/mesos/api.md §2–4).
export * from './v1';
export * from './scheduler';
