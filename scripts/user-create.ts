// npm run --silent user:create -- --email E --name "N" --role admin|commission|partenaire [--organisation "Nom ou slug"] [--creer]
// Reads the password from standard input (one line). There is no default account.
import process from 'node:process';
import { createInterface } from 'node:readline';
import {
	checkPasswordPolicy,
	hashPassword,
	passwordContext
} from '../src/lib/server/auth/password';
import { createAccountWithPassword, RETIRED_ORGANISATION } from '../src/lib/server/auth/service';
import { initDatabase } from '../src/lib/server/db/instance';
import { NewAccountSchema } from '../src/lib/schemas/auth';
import { typedText } from '../src/lib/schemas/form';
import { commandDatabasePath, parseOptions, runCommand, takeCreateOption, UsageError } from './cli';

async function readPasswordLine(): Promise<string> {
	if (process.stdin.isTTY) {
		// Typed at a terminal: not shown (it would stay in the scrollback), so asked twice.
		const password = await readHidden('Mot de passe (une ligne, non affiché) : ');
		if ((await readHidden('Le même mot de passe, pour confirmer : ')) !== password)
			throw new UsageError('Les deux saisies du mot de passe diffèrent : aucun compte créé.');
		return password;
	}
	const lines = createInterface({ input: process.stdin, terminal: false });
	for await (const line of lines) {
		lines.close();
		return line;
	}
	throw new UsageError('Aucun mot de passe reçu sur l’entrée standard.');
}

/** One line typed at the terminal, without echo (raw mode): Enter ends it, Ctrl+C gives up. */
function readHidden(prompt: string): Promise<string> {
	const stdin = process.stdin;
	// Echo off before the prompt shows: a password typed as soon as it appears is never echoed.
	stdin.setRawMode(true);
	process.stderr.write(prompt);
	stdin.setEncoding('utf8');
	stdin.resume();
	return new Promise((resolve, reject) => {
		let typed: string[] = [];
		const end = (settle: () => void) => {
			stdin.off('data', take);
			stdin.setRawMode(false);
			stdin.pause();
			process.stderr.write('\n');
			settle();
		};
		const take = (chunk: string) => {
			for (const character of chunk) {
				if (character === '\r' || character === '\n') return end(() => resolve(typed.join('')));
				if (character === '\u0003' || character === '\u0004')
					return end(() => reject(new UsageError('Saisie interrompue : aucun compte créé.')));
				if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
				else if (character >= ' ') typed.push(character);
			}
		};
		stdin.on('data', take);
	});
}

const USAGE = `Usage : npm run --silent user:create -- --email ADRESSE --name "Prénom Nom" --role admin|commission|partenaire [--organisation "Nom ou identifiant"] [--creer]
Crée un compte ; le mot de passe est lu sur l’entrée standard (une ligne). --organisation est requis pour un compte partenaire, et lui seul. Une base (DATABASE_PATH) qui n’existe pas est refusée, sauf avec --creer.`;

runCommand(async () => {
	const { argv, missing } = takeCreateOption(process.argv.slice(2));
	const options = parseOptions(argv, ['email', 'name', 'role', 'organisation'], USAGE);
	const path = commandDatabasePath(missing);
	// Read as the form on /admin/utilisateurs reads its fields (typedText): a name that shows
	// nothing is none, and the direction marks pasted with a name or an address are dropped.
	const typed = (option: string) => typedText(options.get(option) ?? '');
	const parsed = NewAccountSchema.safeParse({
		email: typed('email'),
		name: typed('name'),
		role: typed('role'),
		organisation: typed('organisation')
	});
	if (!parsed.success) {
		throw new UsageError(parsed.error.issues.map((i) => i.message).join(' '));
	}
	const account = parsed.data;
	const password = await readPasswordLine();
	const refusal = checkPasswordPolicy(password, passwordContext(account));
	if (refusal) throw new UsageError(`Mot de passe refusé : ${refusal}`);

	const db = await initDatabase(path);
	try {
		const created = await createAccountWithPassword(
			db,
			account,
			await hashPassword(password),
			'en ligne de commande',
			'commande user:create'
		);
		if (!created.ok) {
			// The command's own words: where to look an organisation up, the address refused.
			const organisation = created.fieldErrors?.organisation;
			throw new UsageError(
				organisation
					? organisation === RETIRED_ORGANISATION
						? `Organisation retirée ou fusionnée : « ${account.organisation} » ne prend plus de partenaire. Indiquez une organisation du plan, son nom ou son identifiant (voir la page /organisations).`
						: `Organisation inconnue : « ${account.organisation} ». Indiquez son nom ou son identifiant (voir la page /organisations).`
					: created.fieldErrors?.email
						? `Un compte existe déjà avec l’adresse ${account.email}.`
						: created.message
			);
		}
		process.stdout.write(
			`Compte n° ${created.value.userId} créé pour ${account.email.toLowerCase()} (${account.role}).\n`
		);
	} finally {
		await db.destroy();
	}
});
