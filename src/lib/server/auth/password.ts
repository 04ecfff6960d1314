import { hash, verify } from '@node-rs/argon2';
import { foldForSearch } from '../../utils/text';
import { forbiddenCharacter } from '../../schemas/form';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../schemas/limits';
import COMMON_PASSWORDS from './common-passwords.json';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. (@node-rs/argon2 defaults to argon2id.)
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 };

/**
 * One hash at a time, the others wait their turn. Each hash takes 19 MiB and tens of milliseconds of
 * a core on one of libuv's four threads; on a two-core server, three or four at once (logins in
 * a burst, a password guesser) took both cores from the event loop, and the threads from the
 * static files and the page cache's compression: the tail of every page grew with them
 * (docs/performance.md, 2026-11-30 night). Waiting here costs the person signing in a few tens of
 * milliseconds in a burst; the hash itself stays at OWASP's parameters.
 */
let hashing: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
	const turn = hashing.then(work, work);
	hashing = turn.catch(() => undefined);
	return turn;
}

/**
 * A password as hashed and checked: its Unicode composed form (NFC). « é » comes as one character
 * from one keyboard and as « e » and an accent from another (text pasted from macOS): the same
 * password typed on two machines must open the same account.
 */
function composed(password: string): string {
	return password.normalize('NFC');
}

export function hashPassword(password: string): Promise<string> {
	return oneAtATime(() => hash(composed(password), ARGON2_OPTIONS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	const typed = composed(password);
	if (await verifyOnce(passwordHash, typed)) return true;
	// A hash written before passwords were composed, from one that was not: checked as typed then.
	return typed !== password && (await verifyOnce(passwordHash, password));
}

async function verifyOnce(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await oneAtATime(() => verify(passwordHash, password));
	} catch {
		return false;
	}
}

// Used when the account does not exist, so that a wrong e-mail costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<void> {
	dummyHash ??= hashPassword('dummy password for timing only');
	await verifyPassword(await dummyHash, password);
}

let commonPasswords: Set<string> | undefined;
function loadCommonPasswords(): Set<string> {
	commonPasswords ??= new Set(COMMON_PASSWORDS.passwords);
	return commonPasswords;
}

/**
 * How many characters of a password are left once the words of its context are taken out: the
 * person's names, the parts of their e-mail address, the portal's words (lot, numérique…), each
 * split at dots, hyphens and spaces, longest first. « claire.martin.lot.numerique » for Claire
 * Martin leaves nothing; a passphrase that mentions a name keeps most of its letters.
 */
export function charactersBeyondContext(password: string, context: string[]): number {
	let rest = foldForSearch(password).replace(/[^a-z0-9]/g, '');
	const words = new Set<string>();
	for (const entry of context) {
		const folded = foldForSearch(entry);
		const parts = folded.split(/[^a-z0-9]+/).filter((w) => w.length >= 3);
		for (const part of parts) words.add(part);
		const whole = folded.replace(/[^a-z0-9]/g, '');
		if (whole.length >= 3) words.add(whole);
	}
	for (const word of [...words].sort((a, b) => b.length - a.length))
		rest = rest.split(word).join('');
	return rest.length;
}

/** Fewer characters than this beyond the context words: the password is built on the context. */
const MIN_CHARACTERS_BEYOND_CONTEXT = 8;

/** Words a password must not be built on, beyond the shipped list. */
export function passwordContext(user?: { email: string; name: string }): string[] {
	const words = ['lot', 'lotnumerique', 'numerique', 'cahors', 'sdusn', 'occitanie', 'quercy'];
	// The whole address: the policy splits it into its parts (« claire », « martin », « cdg46 »…).
	if (user) words.push(user.email, ...user.name.split(/\s+/), user.name);
	return words;
}

/**
 * Keyboard rows (French and English layouts), the alphabet and the digits: a password that mostly
 * follows one of them, either way (« azertyuiopqsdf », « abcdefghijkl », « 0987654321ab »), is
 * typed without thinking and among the first a guesser tries, however long.
 */
const SEQUENCES = [
	'azertyuiopqsdfghjklmwxcvbn',
	'qwertyuiopasdfghjklzxcvbnm',
	'qwertzuiopasdfghjklyxcvbnm',
	'abcdefghijklmnopqrstuvwxyz',
	'01234567890'
].flatMap((sequence) => [sequence, [...sequence].reverse().join('')]);

/** Whether most steps from one character of `compact` to the next follow a sequence. */
function mostlySequence(compact: string): boolean {
	let steps = 0;
	for (let i = 1; i < compact.length; i++) {
		const pair = compact.slice(i - 1, i + 1);
		if (SEQUENCES.some((sequence) => sequence.includes(pair))) steps++;
	}
	return steps >= (compact.length - 1) * 0.75;
}

/** Whether `compact` is one shorter text said two or more times over. */
function repeatedUnit(compact: string): boolean {
	const n = compact.length;
	for (let unit = 1; unit <= n / 2; unit++)
		if (n % unit === 0 && compact.slice(0, unit).repeat(n / unit) === compact) return true;
	return false;
}

/** French reason why a password is refused, or null when it is acceptable. No composition rules. */
export function checkPasswordPolicy(typed: string, context: string[] = []): string | null {
	const password = composed(typed);
	const length = [...password].length;
	if (length < PASSWORD_MIN_LENGTH)
		return `Le mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.`;
	if (length > PASSWORD_MAX_LENGTH)
		return `Le mot de passe doit compter au plus ${PASSWORD_MAX_LENGTH} caractères.`;
	const forbidden = forbiddenCharacter(password, { oneLine: true });
	if (forbidden) return `Le mot de passe contient ${forbidden}.`;
	const folded = foldForSearch(password).replace(/\s+/g, '');
	const letters = folded.replace(/[^a-z]/g, '');
	const list = loadCommonPasswords();
	const compact = folded.replace(/[^a-z0-9]/g, '');
	const beyondContext = charactersBeyondContext(password, context);
	if (
		list.has(folded) ||
		list.has(letters) ||
		beyondContext < MIN_CHARACTERS_BEYOND_CONTEXT ||
		beyondContext < compact.length / 2 ||
		/^(.)\1*$/u.test(folded) ||
		// A word or a few characters said again to reach the length: « jetaimejetaime », « abc123abc123 ».
		repeatedUnit(compact) ||
		mostlySequence(compact) ||
		/^[\d\W_]+$/u.test(folded) ||
		new Set(folded).size < 4
	) {
		return 'Ce mot de passe est trop courant ou trop facile à deviner : choisissez par exemple une phrase de plusieurs mots.';
	}
	return null;
}
