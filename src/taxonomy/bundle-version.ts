// The bundle format this labelmap reads and writes, apart from the zod schema (./bundle-schema.ts)
// so that the writers (merge) do not build the schema at start-up: building it costs about 30 ms.
export const BUNDLE_FORMAT_VERSION = 2;
