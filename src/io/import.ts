// The one place that imports a module from outside labelmap's own code at run time: an ES module
// package (chalk) or a user's file (a format plugin, labelmap.config.mjs). The CLI's bundle
// (dist/bin/program.cjs, scripts/bundle.mjs) runs as a classic script, where Node 20 has no
// import(): there this module is replaced by the host's (src/cli/bundle.ts), which imports the
// same specifier from dist/cli/.
export function importModule(specifier: string): Promise<Record<string, unknown>> {
  return import(specifier) as Promise<Record<string, unknown>>;
}
