// The Node the portal runs on: Node 24 LTS (`engines`, `.nvmrc`). `npm ci` installs it in the
// project (the `node` dependency: node_modules/.bin/node, first in the PATH of every npm script),
// even when npm itself runs on an older Node. better-sqlite3 13 needs Node-API 10, which no Node
// before 22.14 has: loaded by Node 20 it crashes the process without a message, so the server and
// the ops commands check the version before anything opens the database.
import process from 'node:process';

/** The oldest major version of Node the portal runs on. */
export const MINIMUM_NODE_MAJOR = 24;

/**
 * The French sentence that refuses a Node too old for the portal, or null when `version` is fine.
 * @param {string} version as in process.version, `v24.21.0`
 * @param {string} executable the Node program that runs, process.execPath
 * @returns {string | null}
 */
export function unsupportedNodeMessage(version, executable) {
	const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
	if (major >= MINIMUM_NODE_MAJOR) return null;
	return (
		`Le portail demande Node ${MINIMUM_NODE_MAJOR} ou plus récent, et ${executable} est Node ${version} : ` +
		`lancez-le par npm (« npm start », « npm run serve », « npm run … »), qui utilise le Node ${MINIMUM_NODE_MAJOR} ` +
		`installé par « npm ci » dans node_modules/.bin, ou installez Node ${MINIMUM_NODE_MAJOR}.`
	);
}

/** Stops the process, with the French sentence, when it runs on a Node too old for the portal. */
export function requireSupportedNode() {
	const message = unsupportedNodeMessage(process.version, process.execPath);
	if (!message) return;
	process.stderr.write(`${message}\n`);
	process.exit(1);
}
