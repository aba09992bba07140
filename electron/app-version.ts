import pkg from '../package.json' with { type: 'json' };

/** The app's version, as package.json has it (bundled in: no file is read at run time). */
export const APP_VERSION: string = pkg.version;
export const APP_NAME: string = pkg.productName;
