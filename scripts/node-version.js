// The Node the portal runs on: Node 20.19 or newer (`engines`, `.nvmrc`). better-sqlite3 is built
// by `npm ci` for the Node that runs npm; an older Node would fail to load it, so the server and the
// ops commands check the version before anything opens the database.
import process from 'node:process';

/** The oldest Node the portal runs on, `major.minor` as in `engines` (Vite 7 and `require(esm)`). */
export const MINIMUM_NODE_VERSION = '20.19';

/**
 * `major.minor` of a version as one comparable number (0 when it is not a version).
 * @param {string} version `v20.19.5` or `20.19`
 */
const rank = (version) => {
	const match = /^v?(\d+)\.(\d+)/.exec(version);
	return match ? Number(match[1]) * 1000 + Number(match[2]) : 0;
};

/**
 * The French sentence that refuses a Node too old for the portal, or null when `version` is fine.
 * @param {string} version as in process.version, `v24.21.0`
 * @param {string} executable the Node program that runs, process.execPath
 * @returns {string | null}
 */
export function unsupportedNodeMessage(version, executable) {
	if (rank(version) >= rank(MINIMUM_NODE_VERSION)) return null;
	return (
		`Le portail demande Node ${MINIMUM_NODE_VERSION} ou plus récent, et ${executable} est Node ${version} : ` +
		`installez Node ${MINIMUM_NODE_VERSION} ou plus récent, puis relancez « npm ci ».`
	);
}

/** Stops the process, with the French sentence, when it runs on a Node too old for the portal. */
export function requireSupportedNode() {
	const message = unsupportedNodeMessage(process.version, process.execPath);
	if (!message) return;
	process.stderr.write(`${message}\n`);
	process.exit(1);
}
