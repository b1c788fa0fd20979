import serverPackage from '../../../package.json' with { type: 'json' };

/** The server package's version, recorded in every backup's manifest. */
export const MCART_VERSION: string = serverPackage.version;
