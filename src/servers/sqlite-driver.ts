// Loads better-sqlite3, the native SQLite addon that only the bundled servers (`serve sqlite`, `serve crm`) need.
// It is an optional dependency: where it could not be built the CLI still installs and runs, and these servers
// say what to install instead of failing with ERR_MODULE_NOT_FOUND or a dlopen error.
import type Database from 'better-sqlite3';
import { importModule } from '../dynamic-import.js';
import { AppError, errorMessage } from '../errors.js';

export type SqliteDriver = typeof Database;

const DRIVER = 'better-sqlite3';

/**
 * The better-sqlite3 constructor, checked to work on this Node. `server` names the command for the message;
 * `specifier` exists so tests can point the same path at a module that is missing or broken.
 */
export async function loadSqliteDriver(server: string, specifier: string = DRIVER): Promise<SqliteDriver> {
  let driver: SqliteDriver;
  try {
    driver = ((await importModule(specifier)) as { default: SqliteDriver }).default;
  } catch (err) {
    throw new AppError(
      'CONFIG',
      `${server} needs the native module ${DRIVER}, which did not install on this machine (${errorMessage(err)})`,
      {
        cause: err,
        hint:
          `install it next to mcpsh: \`npm install -g ${DRIVER}\` for a global mcpsh (\`npm install ${DRIVER}\` in a project that ` +
          'depends on mcpsh); where no prebuilt binary exists it builds from source (python3, make and a C++ compiler), ' +
          'or use a Node version it ships prebuilt binaries for (an LTS release)',
      },
    );
  }
  try {
    // The addon itself loads on the first `new Database`: open one in memory so a missing or mismatched build
    // (compiled for another Node version) fails here, with the fix, rather than deep inside the server.
    new driver(':memory:').close();
  } catch (err) {
    throw new AppError(
      'CONFIG',
      `${server} needs the native module ${DRIVER}, which is installed but does not load on this Node ${process.version} (${errorMessage(err)})`,
      {
        cause: err,
        hint: `rebuild it for this Node: \`npm rebuild ${DRIVER}\` where it is installed (\`npm install -g ${DRIVER}\` again for a global mcpsh), or run mcpsh with the Node it was built for`,
      },
    );
  }
  return driver;
}
