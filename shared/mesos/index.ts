// Zod schemas and types of the Mesos JSON the app reads (v1 API shapes, API.md §2–4, §10).
export * from './v1';
export * from './scheduler';
