// The portal's configuration: every environment variable it reads, parsed and checked in one place.
// Plain JavaScript: read by scripts/start.js before anything is built or loaded (a bad value stops
// the server with one French line naming the variable and what is expected), and by the server
// code and the ops commands, which get the same values. docs/operations.md lists every variable.

export const DEFAULT_DATABASE_PATH = 'data/sdusn.db';
const DEFAULT_AUDIT_RETENTION_DAYS = 730;
/** The shortest retention allowed (the database refuses a shorter purge too). */
const MIN_AUDIT_RETENTION_DAYS = 180;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** A setting the operator must fix; its message is one French sentence. */
export class ConfigError extends Error {
	// Same name as the database's start-up errors: start.js and the commands print it alone.
	name = 'StartupError';
}

import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { plural } from '../utils/plural.js';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** @param {NodeJS.ProcessEnv} env @param {string} name */
function read(env, name) {
	return env[name]?.trim() ?? '';
}

/** @param {NodeJS.ProcessEnv} env */
function readPort(env) {
	const raw = read(env, 'PORT') || '3000';
	const port = Number(raw);
	if (!/^\d+$/.test(raw) || port < 1 || port > 65535)
		throw new ConfigError(
			`Le port « ${raw} » n’est pas valable : indiquez dans PORT un nombre entre 1 et 65535.`
		);
	return port;
}

/** @param {NodeJS.ProcessEnv} env */
function readHost(env) {
	const host = read(env, 'HOST') || '0.0.0.0';
	if (/[\s/]/.test(host))
		throw new ConfigError(
			`HOST vaut « ${host} » : indiquez une adresse IP ou un nom de machine (par exemple 127.0.0.1).`
		);
	return host;
}

/** @param {NodeJS.ProcessEnv} env @returns {string | null} */
function readOrigin(env) {
	const raw = read(env, 'ORIGIN');
	// Set but empty (`Environment=ORIGIN=`): adapter-node would stop the start in English.
	if (!raw && env.ORIGIN !== undefined)
		throw new ConfigError(
			'ORIGIN est réglé mais vide : indiquez l’adresse publique du portail, par exemple ORIGIN=https://sdusn.lot-numerique.fr, ou retirez la variable.'
		);
	if (!raw) return null;
	/** @type {URL | null} */
	let url = null;
	try {
		url = new URL(raw);
	} catch {
		url = null;
	}
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
		throw new ConfigError(
			`ORIGIN vaut « ${raw} » : indiquez l’adresse publique du portail, commençant par https://, par exemple https://sdusn.lot-numerique.fr.`
		);
	// Capitals in the host name and the default port (:443, :80) are the same origin: the URL
	// gives it written as browsers send it. A path, a query or a user name are not part of it.
	if (
		url.pathname !== '/' ||
		url.search ||
		url.hash ||
		url.username ||
		url.password ||
		/[?#]$/.test(raw)
	)
		throw new ConfigError(
			`ORIGIN vaut « ${raw} » : indiquez l’adresse publique du portail sans chemin, par exemple https://sdusn.lot-numerique.fr.`
		);
	return url.origin;
}

/**
 * Refuses proxy settings that cannot be honoured (they would silently turn off the per-address
 * login limit): returns the French sentence saying why, or null when the settings hold.
 * @param {NodeJS.ProcessEnv} env
 */
export function proxySettingsProblem(env) {
	const header = read(env, 'ADDRESS_HEADER');
	const depth = read(env, 'XFF_DEPTH');
	if (header && !HEADER_NAME.test(header))
		return `ADDRESS_HEADER vaut « ${header} », qui n’est pas un nom d’en-tête HTTP : indiquez par exemple X-Forwarded-For.`;
	if (depth && !header)
		return 'XFF_DEPTH est réglé sans ADDRESS_HEADER : indiquez aussi ADDRESS_HEADER=X-Forwarded-For, ou retirez XFF_DEPTH.';
	if (depth && header.toLowerCase() !== 'x-forwarded-for')
		return `XFF_DEPTH ne s’applique qu’à ADDRESS_HEADER=X-Forwarded-For (et non « ${header} ») : retirez XFF_DEPTH.`;
	if (depth && (!/^\d{1,2}$/.test(depth) || Number(depth) < 1))
		return `XFF_DEPTH vaut « ${depth} » : indiquez le nombre de mandataires de confiance, un entier d’au moins 1.`;
	for (const name of ['PROTOCOL_HEADER', 'HOST_HEADER', 'PORT_HEADER']) {
		const value = read(env, name);
		if (value && !HEADER_NAME.test(value))
			return `${name} vaut « ${value} », qui n’est pas un nom d’en-tête HTTP : indiquez par exemple x-forwarded-proto.`;
	}
	return null;
}

/**
 * The client-address header a local command (report --adresse) sends to a portal behind a proxy,
 * as that proxy would: with XFF_DEPTH=n, X-Forwarded-For must hold n addresses (the portal reads
 * the n-th from the end, and refused one address with 400). Refuses what proxySettingsProblem does.
 * @param {NodeJS.ProcessEnv} env @returns {Record<string, string>}
 */
export function localAddressHeaders(env) {
	const problem = proxySettingsProblem(env);
	if (problem) throw new ConfigError(problem);
	const header = read(env, 'ADDRESS_HEADER');
	const depth = Number(read(env, 'XFF_DEPTH') || 1);
	return header ? { [header]: Array(depth).fill('127.0.0.1').join(', ') } : {};
}

/** AUDIT_RETENTION: days security events are kept (default 730, at least 180). @param {NodeJS.ProcessEnv} env */
export function readAuditRetention(env) {
	const raw = read(env, 'AUDIT_RETENTION');
	if (!raw) return DEFAULT_AUDIT_RETENTION_DAYS;
	const days = Number(raw);
	if (!/^\d{1,6}$/.test(raw) || days < MIN_AUDIT_RETENTION_DAYS)
		throw new ConfigError(
			`AUDIT_RETENTION vaut « ${raw} » : indiquez un nombre de jours d’au moins ${MIN_AUDIT_RETENTION_DAYS} (730 par défaut, soit deux ans).`
		);
	return days;
}

const UNITS = /** @type {Record<string, number>} */ ({
	s: 1000,
	min: 60_000,
	m: 60_000,
	h: 3_600_000,
	j: 86_400_000,
	d: 86_400_000
});

/**
 * The start line about the scheduled backups: « Sauvegardes programmées : toutes les 6 h dans
 * /srv/sauvegardes (28 gardées) ».
 * @param {{ dir: string, everyMs: number, keep: number } | null} backups
 */
export function backupsLine(backups) {
	return backups
		? `Sauvegardes programmées : ${backupInterval(backups.everyMs)} dans ${resolve(backups.dir)} (${backups.keep} ${plural(backups.keep, 'gardée', 'gardées')})`
		: 'Sauvegardes programmées : aucune (BACKUP_DIR absent)';
}

/**
 * How often the scheduled backups run, in the interval's natural unit (« toutes les 6 h »,
 * « toutes les 30 min », « tous les jours », « tous les 2 jours »), not all in minutes
 * (« toutes les 360 min » for BACKUP_EVERY=6h).
 * @param {number} ms
 */
function backupInterval(ms) {
	const unit = INTERVAL_UNITS.find((u) => ms % u.ms === 0);
	if (!unit) return `toutes les ${ms / 1000} s`; // BACKUP_EVERY=90s
	const count = ms / unit.ms;
	return count === 1 ? unit.each : unit.every(count);
}

const INTERVAL_UNITS = [
	{
		ms: 86_400_000,
		each: 'tous les jours',
		every: (/** @type {number} */ n) => `tous les ${n} jours`
	},
	{
		ms: 3_600_000,
		each: 'toutes les heures',
		every: (/** @type {number} */ n) => `toutes les ${n} h`
	},
	{
		ms: 60_000,
		each: 'toutes les minutes',
		every: (/** @type {number} */ n) => `toutes les ${n} min`
	}
];

/**
 * A duration such as `30min`, `6h` or `1j` (s, min, h, j), in milliseconds, at least `minMs`.
 * @param {string} name @param {string} raw @param {number} minMs @param {string} example
 */
function parseDuration(name, raw, minMs, example) {
	// Either case, as the sizes' units (DISK_MIN_FREE=100m): 6H as 6h.
	const match = /^(\d{1,6})\s*(s|min|m|h|j|d)$/i.exec(raw);
	const ms = match
		? Number(match[1]) * /** @type {number} */ (UNITS[(match[2] ?? '').toLowerCase()])
		: 0;
	if (!match || ms < minMs)
		throw new ConfigError(
			`${name} vaut « ${raw} » : indiquez une durée d’au moins ${minMs / 1000} s suivie de son unité (s, min, h ou j), par exemple ${example}.`
		);
	return ms;
}

/**
 * @param {NodeJS.ProcessEnv} env @param {string} name @param {number} fallback
 * @param {number} min @param {number} max @param {string} meaning
 */
function readInteger(env, name, fallback, min, max, meaning) {
	const raw = read(env, name);
	if (!raw) return fallback;
	const value = Number(raw);
	if (!/^\d{1,6}$/.test(raw) || value < min || value > max)
		throw new ConfigError(
			`${name} vaut « ${raw} » : indiquez ${meaning}, un entier entre ${min} et ${max}.`
		);
	return value;
}

/** @param {NodeJS.ProcessEnv} env */
function readBackups(env) {
	const dir = read(env, 'BACKUP_DIR');
	const every = read(env, 'BACKUP_EVERY');
	const keep = read(env, 'BACKUP_KEEP');
	if (!dir) {
		if (every || keep)
			throw new ConfigError(
				`${every ? 'BACKUP_EVERY' : 'BACKUP_KEEP'} est réglé sans BACKUP_DIR : indiquez aussi le dossier des sauvegardes dans BACKUP_DIR.`
			);
		return null;
	}
	const problem = folderProblem(dir);
	if (problem)
		throw new ConfigError(
			`BACKUP_DIR vaut « ${dir} », ${problem} : indiquez un dossier où l’utilisateur du portail peut écrire (il est créé s’il manque).`
		);
	return {
		dir,
		everyMs: every ? parseDuration('BACKUP_EVERY', every, 60_000, '6h') : 86_400_000,
		keep: readInteger(env, 'BACKUP_KEEP', 14, 1, 10_000, 'le nombre de sauvegardes à garder')
	};
}

/**
 * Why a folder cannot receive files, or null: it is a file, or the nearest part of its path that
 * exists is not a folder this process may write into (the folder is created there when needed).
 * @param {string} dir @returns {string | null}
 */
function folderProblem(dir) {
	let at = resolve(dir);
	for (;;) {
		if (existsSync(at)) {
			if (!statSync(at).isDirectory())
				return at === resolve(dir) ? 'qui est un fichier' : `sous « ${at} », qui est un fichier`;
			try {
				accessSync(at, constants.W_OK);
				return null;
			} catch {
				return `dans « ${at} », où le portail ne peut pas écrire`;
			}
		}
		const parent = dirname(at);
		if (parent === at) return 'introuvable';
		at = parent;
	}
}

/** @param {string} path @returns {import('node:fs').Stats | null} */
function statOrNull(path) {
	try {
		return statSync(path);
	} catch {
		return null;
	}
}

/** The kernel's own files: opened (a pipe, /proc/kmsg) or created under (mkdir loops), they hang. */
const KERNEL_FOLDERS = ['/proc', '/sys'];

/**
 * Why DATABASE_PATH cannot be the database's file, or null: it lies under /proc or /sys, it exists
 * and is a folder, a pipe (FIFO), a device or a socket, or the nearest part of its folder that
 * exists is not a folder. Said before anything opens it: Node's mkdir under /proc and SQLite's open
 * of a FIFO wait for ever, so that `npm start` hung without a word.
 * @param {string} path @returns {string | null}
 */
export function databasePathProblem(path) {
	const file = resolve(path);
	const says = (/** @type {string} */ problem) =>
		`DATABASE_PATH désigne « ${file} », ${problem} : indiquez le fichier de la base, par exemple ${DEFAULT_DATABASE_PATH} (il est créé s’il manque).`;
	const kernel = KERNEL_FOLDERS.find((root) => file === root || file.startsWith(`${root}/`));
	if (kernel) return says(`sous ${kernel}, où le système montre ses propres fichiers`);
	const found = statOrNull(file);
	if (found?.isDirectory()) return says('qui est un dossier');
	if (found && !found.isFile())
		return says('qui n’est pas un fichier ordinaire (un tube, un périphérique ou un socket)');
	if (found) return null;
	for (let at = dirname(file); dirname(at) !== at; at = dirname(at)) {
		const part = statOrNull(at);
		if (part) return part.isDirectory() ? null : says(`sous « ${at} », qui n’est pas un dossier`);
	}
	return null;
}

/** @param {NodeJS.ProcessEnv} env */
function readDatabasePath(env) {
	const path = read(env, 'DATABASE_PATH') || DEFAULT_DATABASE_PATH;
	const problem = databasePathProblem(path);
	if (problem) throw new ConfigError(problem);
	return path;
}

/**
 * PLAN_FILE: the workbook (.xlsx, the format of /donnees/plan.xlsx) an empty database is started
 * from instead of the Lot plan. Its content is checked when the database is created.
 * @param {NodeJS.ProcessEnv} env @returns {string | null}
 */
function readPlanFile(env) {
	const path = read(env, 'PLAN_FILE');
	if (!path) return null;
	if (!/\.xlsx$/i.test(path))
		throw new ConfigError(
			`PLAN_FILE vaut « ${path} » : indiquez un classeur Excel (.xlsx) au format de /donnees/plan.xlsx, par exemple tests/fixtures/plan-exemple.xlsx.`
		);
	/** @type {import('node:fs').Stats | null} */
	let stats = null;
	try {
		stats = statSync(path);
	} catch {
		stats = null;
	}
	if (!stats?.isFile())
		throw new ConfigError(
			`PLAN_FILE vaut « ${path} », fichier introuvable : indiquez le chemin d’un classeur du plan (.xlsx) lisible par le portail.`
		);
	return path;
}

/** @param {NodeJS.ProcessEnv} env */
function readLogLevel(env) {
	const level = (read(env, 'LOG_LEVEL') || 'info').toLowerCase();
	if (!LOG_LEVELS.includes(level))
		throw new ConfigError(
			`LOG_LEVEL vaut « ${read(env, 'LOG_LEVEL')} » : indiquez l’un de ${LOG_LEVELS.join(', ')}.`
		);
	return level;
}

/**
 * @typedef {{
 *   url: string,
 *   host: string,
 *   port: number,
 *   secure: boolean,
 *   requireTls: boolean,
 *   user: string | null,
 *   password: string | null,
 *   clientName: string | null
 * }} SmtpConfig
 */

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;
// The domain's labels hold no dot: one reading of each character, a time that grows with the length.
const ADDRESS = /^[^\s@<>]+@(?:(?:[^\s@<>.]+\.)+[^\s@<>.]+|localhost)$/;

/** True for the local machine (no TLS needed to reach it). @param {string} host */
function isLoopbackHost(host) {
	return LOOPBACK.test(host);
}

/**
 * SMTP_URL (`smtp://user:pass@host:587`, or `smtps://…:465` for implicit TLS) and SMTP_REQUIRE_TLS
 * (`true` by default: STARTTLS is required for any host but the local machine). Absent SMTP_URL:
 * null, the embedded default (messages kept in the outbox, shown at /admin/courriels).
 * @param {NodeJS.ProcessEnv} env @returns {SmtpConfig | null}
 */
function readSmtp(env) {
	const raw = read(env, 'SMTP_URL');
	const requireRaw = read(env, 'SMTP_REQUIRE_TLS').toLowerCase();
	if (requireRaw && !['true', 'false'].includes(requireRaw))
		throw new ConfigError(
			`SMTP_REQUIRE_TLS vaut « ${read(env, 'SMTP_REQUIRE_TLS')} » : indiquez true (par défaut) ou false.`
		);
	// Checked without a relay too: a bad value set now would stop the start only the day a relay is.
	const clientName = readEhloName(env);
	if (!raw) return null;
	/** @type {URL | null} */
	let url = null;
	try {
		url = new URL(raw);
	} catch {
		url = null;
	}
	if (
		!url ||
		(url.protocol !== 'smtp:' && url.protocol !== 'smtps:') ||
		!url.hostname ||
		(url.pathname !== '' && url.pathname !== '/') ||
		url.search ||
		url.hash
	)
		throw new ConfigError(
			`SMTP_URL${smtpUrlShown(url)} n’est pas une adresse de serveur de courrier : indiquez par exemple smtp://utilisateur:motdepasse@relais.example.fr:587, ou smtps://…:465 pour TLS dès la connexion. ${ENCODE_CREDENTIALS}`
		);
	const secure = url.protocol === 'smtps:';
	const host = url.hostname.replace(/^\[|\]$/g, '');
	return {
		url: `${url.protocol}//${url.host}`,
		host,
		port: url.port ? Number(url.port) : secure ? 465 : 587,
		secure,
		requireTls: !secure && requireRaw !== 'false' && !isLoopbackHost(host),
		user: url.username ? decodeCredential(url.username, 'le nom d’utilisateur') : null,
		password: url.password ? decodeCredential(url.password, 'le mot de passe') : null,
		clientName
	};
}

/** How the user name and password of SMTP_URL must be written, said with each refusal of it. */
const ENCODE_CREDENTIALS =
	'Dans le nom d’utilisateur et le mot de passe, indiquez encodés « @ » (%40), « : » (%3A), « / » (%2F), « ? » (%3F), « # » (%23) et « % » (%25).';

/**
 * The scheme and host of a refused SMTP_URL, « (smtp://relais.example.fr:587) », only when they
 * can be told apart from its user name and password; else nothing. A « / », « ? » or « # » left
 * unencoded in the password ends the host early: `smtp://portail:2026/Lot@smtp.hebergeur.fr`
 * parses as host « portail:2026 », the user and half the password, with an « @ » after it.
 * @param {URL | null} url
 */
function smtpUrlShown(url) {
	if (!url?.hostname) return '';
	if (`${url.pathname}${url.search}${url.hash}`.includes('@')) return '';
	return ` (${url.protocol}//${url.host})`;
}

/**
 * A user name or password of SMTP_URL, URL-decoded. A « % » not followed by two hexadecimal digits
 * (« 50%off ») cannot be decoded: one French line naming the variable, never the value.
 * @param {string} encoded @param {string} what
 */
function decodeCredential(encoded, what) {
	try {
		return decodeURIComponent(encoded);
	} catch {
		throw new ConfigError(
			`SMTP_URL : ${what} contient un « % » qui n’est pas suivi de deux chiffres hexadécimaux. ${ENCODE_CREDENTIALS}`
		);
	}
}

const HOST_NAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i;

/**
 * The name the portal gives itself to the relay (EHLO): SMTP_EHLO_NAME, else ORIGIN's host name when
 * it is a domain name, else null — Nodemailer's default, the machine's name when it has a domain,
 * otherwise `[127.0.0.1]`, which some relays refuse.
 * @param {NodeJS.ProcessEnv} env @returns {string | null}
 */
function readEhloName(env) {
	const raw = read(env, 'SMTP_EHLO_NAME');
	if (raw) {
		if (!HOST_NAME.test(raw) || /^[\d.]+$/.test(raw))
			throw new ConfigError(
				`SMTP_EHLO_NAME vaut « ${JSON.stringify(raw).slice(1, -1)} » : indiquez le nom de domaine complet de la machine qui envoie, par exemple sdusn.lot-numerique.fr, ou retirez la variable.`
			);
		return raw.toLowerCase();
	}
	const origin = readOrigin(env);
	const name = origin ? new URL(origin).hostname : '';
	return HOST_NAME.test(name) && !/^[\d.]+$/.test(name) ? name : null;
}

/** MAIL_FROM: the sender of every message (`Portail SDUSN <ne-pas-repondre@…>`). @param {NodeJS.ProcessEnv} env @param {boolean} needed */
function readMailFrom(env, needed) {
	const raw = read(env, 'MAIL_FROM');
	if (!raw) {
		if (needed)
			throw new ConfigError(
				'SMTP_URL est réglé sans MAIL_FROM : indiquez l’expéditeur des messages, par exemple MAIL_FROM="Portail SDUSN <ne-pas-repondre@lot-numerique.fr>".'
			);
		return 'Portail SDUSN <ne-pas-repondre@localhost>';
	}
	const address = /<([^<>]*)>$/.exec(raw)?.[1] ?? raw;
	if (!ADDRESS.test(address) || /[\r\n]/.test(raw))
		throw new ConfigError(
			`MAIL_FROM vaut « ${raw} » : indiquez une adresse électronique, éventuellement précédée d’un nom, par exemple Portail SDUSN <ne-pas-repondre@lot-numerique.fr>.`
		);
	return raw;
}

/**
 * The smallest BODY_SIZE_LIMIT accepted, adapter-node's default: the largest form the portal takes,
 * the plan's workbook (400 Ko, MAX_WORKBOOK_BYTES) with the rest of its form, fits under it.
 */
export const MIN_BODY_SIZE_BYTES = 512 * 1024;
const BYTE_UNITS = /** @type {Record<string, number>} */ ({
	'': 1,
	K: 1024,
	M: 1024 ** 2,
	G: 1024 ** 3
});

/**
 * BODY_SIZE_LIMIT is adapter-node's, read by the built server when it loads: checked here the way
 * adapter-node reads it (bytes, or a number followed by K, M or G), so that a bad value stops the
 * start with one French line instead of adapter-node's English stack trace.
 * @param {NodeJS.ProcessEnv} env
 */
function checkBodySizeLimit(env) {
	// As adapter-node reads it: untrimmed.
	const raw = env.BODY_SIZE_LIMIT;
	if (raw === undefined || /^Infinity$/i.test(raw)) return;
	const match = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(raw);
	if (!match)
		throw new ConfigError(
			`BODY_SIZE_LIMIT vaut « ${raw} » : indiquez une taille en octets, éventuellement suivie de K, M ou G (par exemple 512K), ou retirez la variable.`
		);
	// 0 is not « no limit » for adapter-node: every form, the sign-in too, would be refused (413).
	if (
		Number(match[1]) * /** @type {number} */ (BYTE_UNITS[(match[2] ?? '').toUpperCase()]) <
		MIN_BODY_SIZE_BYTES
	)
		throw new ConfigError(
			`BODY_SIZE_LIMIT vaut « ${raw} », trop peu pour les formulaires du portail (le classeur du plan pèse jusqu’à 400 Ko) : indiquez au moins ${MIN_BODY_SIZE_BYTES / 1024}K, ou retirez la variable.`
		);
}

/** The free space DISK_MIN_FREE leaves by default: under it, /sante answers 503. */
const DEFAULT_MIN_FREE_DISK_BYTES = 100 * 1024 ** 2;
/** The most DISK_MIN_FREE accepts: 1 Pio (1048576G), more than any disk of the server. */
const MAX_MIN_FREE_DISK_BYTES = 1024 ** 5;

/**
 * DISK_MIN_FREE: the free space of the database's folder under which /sante answers 503 (« presque
 * plein »), before a write fails for want of room: bytes, or a number followed by K, M or G (« o »
 * may follow, as in 100Mo); 0 measures nothing.
 * @param {NodeJS.ProcessEnv} env
 */
function readMinFreeDisk(env) {
	const raw = read(env, 'DISK_MIN_FREE');
	if (!raw) return DEFAULT_MIN_FREE_DISK_BYTES;
	// Up to 13 digits: 104857600 (100M in bytes) as 1000000G; never more than a disk holds.
	const match = /^(\d{1,13})\s*([KMG]?)o?$/i.exec(raw);
	const bytes = match
		? Number(match[1]) * /** @type {number} */ (BYTE_UNITS[(match[2] ?? '').toUpperCase()])
		: Infinity;
	if (bytes > MAX_MIN_FREE_DISK_BYTES)
		throw new ConfigError(
			`DISK_MIN_FREE vaut « ${raw} » : indiquez l’espace libre sous lequel /sante répond 503, en octets ou en nombre suivi de K, M ou G (par exemple 100M, la valeur par défaut), au plus 1048576G, ou 0 pour ne pas le mesurer.`
		);
	return bytes;
}

/**
 * @typedef {{
 *   port: number,
 *   host: string,
 *   origin: string | null,
 *   databasePath: string,
 *   addressHeader: string | null,
 *   auditRetentionDays: number,
 *   logLevel: string,
 *   backups: { dir: string, everyMs: number, keep: number } | null,
 *   shutdownTimeoutMs: number,
 *   planFile: string | null,
 *   minFreeDiskBytes: number,
 *   smtp: SmtpConfig | null,
 *   mailFrom: string
 * }} Config
 */

/**
 * Reads and checks every setting; throws a ConfigError (one French sentence) on the first value
 * that is missing or malformed.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Config}
 */
export function readConfig(env = process.env) {
	const proxyProblem = proxySettingsProblem(env);
	if (proxyProblem) throw new ConfigError(proxyProblem);
	// Behind a proxy, the public address cannot be guessed: served as https, every form (the sign-in
	// too) would be refused as sent from another site, and the session cookie would not be Secure.
	if (read(env, 'ADDRESS_HEADER') && !read(env, 'ORIGIN') && !read(env, 'PROTOCOL_HEADER'))
		throw new ConfigError(
			'ADDRESS_HEADER est réglé, donc le portail est derrière un mandataire inverse, mais ORIGIN manque : indiquez l’adresse publique du portail, par exemple ORIGIN=https://sdusn.lot-numerique.fr.'
		);
	checkBodySizeLimit(env);
	const smtp = readSmtp(env);
	return {
		smtp,
		mailFrom: readMailFrom(env, smtp !== null),
		port: readPort(env),
		host: readHost(env),
		origin: readOrigin(env),
		databasePath: readDatabasePath(env),
		addressHeader: read(env, 'ADDRESS_HEADER') || null,
		auditRetentionDays: readAuditRetention(env),
		logLevel: readLogLevel(env),
		backups: readBackups(env),
		shutdownTimeoutMs:
			readInteger(
				env,
				'SHUTDOWN_TIMEOUT',
				10,
				1,
				300,
				'le nombre de secondes laissées aux requêtes en cours à l’arrêt'
			) * 1000,
		planFile: readPlanFile(env),
		minFreeDiskBytes: readMinFreeDisk(env)
	};
}

/** @type {Map<string, unknown>} */
const settingsRead = new Map();

/**
 * A setting the server's code needs after the start (a request's checks, a page, a command's
 * database), read from the environment once per process, as readConfig reads it: not process.env
 * again on every request.
 * @template T @param {string} name @param {() => T} readIt @returns {T}
 */
function readOnce(name, readIt) {
	if (!settingsRead.has(name)) settingsRead.set(name, readIt());
	return /** @type {T} */ (settingsRead.get(name));
}

/** ADDRESS_HEADER, or null: the server is behind a proxy that names each request's client. */
export const addressHeaderSetting = () =>
	readOnce('ADDRESS_HEADER', () => read(process.env, 'ADDRESS_HEADER') || null);

/** ORIGIN (readOrigin), or null: the portal's public address that pages print and link to. */
export const originSetting = () => readOnce('ORIGIN', () => readOrigin(process.env));

/** AUDIT_RETENTION in days (readAuditRetention), for /admin/journal. */
export const auditRetentionSetting = () =>
	readOnce('AUDIT_RETENTION', () => readAuditRetention(process.env));

/** PLAN_FILE (readPlanFile), the plan an empty database is started from. */
export const planFileSetting = () => readOnce('PLAN_FILE', () => readPlanFile(process.env));

/** For tests that change the environment (vi.stubEnv): the settings are read again. */
export function forgetSettings() {
	settingsRead.clear();
}

/** Every variable the portal reads (docs/operations.md lists them). */
const KNOWN_VARIABLES = [
	'PORT',
	'HOST',
	'ORIGIN',
	'DATABASE_PATH',
	'ADDRESS_HEADER',
	'XFF_DEPTH',
	'PROTOCOL_HEADER',
	'HOST_HEADER',
	'PORT_HEADER',
	'AUDIT_RETENTION',
	'LOG_LEVEL',
	'BACKUP_DIR',
	'BACKUP_EVERY',
	'BACKUP_KEEP',
	'SHUTDOWN_TIMEOUT',
	'BODY_SIZE_LIMIT',
	'PLAN_FILE',
	'DISK_MIN_FREE',
	'SMTP_URL',
	'SMTP_REQUIRE_TLS',
	'SMTP_EHLO_NAME',
	'MAIL_FROM'
];
const KNOWN_PREFIXES = [
	'DATABASE_',
	'AUDIT_',
	'BACKUP_',
	'SMTP_',
	'MAIL_',
	'PLAN_',
	'BODY_SIZE_',
	'SHUTDOWN_',
	'XFF_',
	'DISK_'
];

/** @param {string} a @param {string} b */
function editDistance(a, b) {
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++)
			row[j] = Math.min(
				/** @type {number} */ (previous[j]) + 1,
				/** @type {number} */ (row[j - 1]) + 1,
				/** @type {number} */ (previous[j - 1]) + (a[i - 1] === b[j - 1] ? 0 : 1)
			);
		previous = row;
	}
	return /** @type {number} */ (previous[b.length]);
}

/**
 * Variables set that the portal does not read but that look like one it does (same prefix, or a
 * spelling two letters away): a misspelt BACKUP_DIR would otherwise be ignored in silence.
 * @param {NodeJS.ProcessEnv} env @returns {{ name: string, known: string }[]}
 */
export function lookalikeVariables(env) {
	return Object.keys(env)
		.filter((name) => !KNOWN_VARIABLES.includes(name))
		.map((name) => {
			const [known] = [...KNOWN_VARIABLES].sort(
				(a, b) => editDistance(name, a) - editDistance(name, b)
			);
			const close = name.length >= 6 && editDistance(name, /** @type {string} */ (known)) <= 2;
			const prefixed = KNOWN_PREFIXES.some((prefix) => name.startsWith(prefix));
			return close || prefixed ? { name, known: /** @type {string} */ (known) } : null;
		})
		.filter((found) => found !== null);
}

/**
 * The version `/sante` and the start line give: package.json's, which never changes, plus the
 * build's own name (SvelteKit's version, the build time in milliseconds unless set), so that an
 * upgrade shows: `0.1.0+20261205T081500Z`.
 * @param {string} packageVersion @param {string} buildName
 */
export function portalVersion(packageVersion, buildName) {
	const time = /^\d{12,14}$/.test(buildName) ? new Date(Number(buildName)) : null;
	const build = time
		? time
				.toISOString()
				.replace(/\.\d+Z$/, 'Z')
				.replace(/[-:]/g, '')
		: buildName.replace(/[^\w.-]/g, '');
	return build ? `${packageVersion}+${build}` : packageVersion;
}
