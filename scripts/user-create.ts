// npm run --silent user:create -- --email E --name "N" --role admin|commission|partenaire [--organisation "Nom ou slug"]
// Reads the password from standard input (one line). There is no default account.
import process from 'node:process';
import { createInterface } from 'node:readline';
import { recordAudit } from '../src/lib/server/audit/repository';
import { checkPasswordPolicy, hashPassword } from '../src/lib/server/auth/password';
import { passwordContext } from '../src/lib/server/auth/service';
import {
	findOrganisationIdByNameOrSlug,
	findUserByEmail,
	insertUser
} from '../src/lib/server/auth/users';
import { initDatabase } from '../src/lib/server/db/instance';
import { NewAccountSchema } from '../src/lib/schemas/auth';
import { commandDatabasePath, parseOptions, runCommand, UsageError } from './cli';

async function readPasswordLine(): Promise<string> {
	if (process.stdin.isTTY) process.stderr.write('Mot de passe (une ligne) : ');
	const lines = createInterface({ input: process.stdin, terminal: false });
	for await (const line of lines) {
		lines.close();
		return line;
	}
	throw new UsageError('Aucun mot de passe reçu sur l’entrée standard.');
}

const USAGE = `Usage : npm run --silent user:create -- --email ADRESSE --name "Prénom Nom" --role admin|commission|partenaire [--organisation "Nom ou identifiant"]
Crée un compte ; le mot de passe est lu sur l’entrée standard (une ligne). --organisation est requis pour un compte partenaire, et lui seul.`;

runCommand(async () => {
	const options = parseOptions(
		process.argv.slice(2),
		['email', 'name', 'role', 'organisation'],
		USAGE
	);
	const path = commandDatabasePath();
	const parsed = NewAccountSchema.safeParse({
		email: options.get('email') ?? '',
		name: options.get('name') ?? '',
		role: options.get('role') ?? '',
		organisation: options.get('organisation') ?? ''
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
		let organisationId: number | null = null;
		if (account.role === 'partenaire') {
			organisationId = (await findOrganisationIdByNameOrSlug(db, account.organisation)) ?? null;
			if (organisationId === null) {
				throw new UsageError(
					`Organisation inconnue : « ${account.organisation} ». Indiquez son nom ou son identifiant (voir la page /organisations).`
				);
			}
		}
		if (await findUserByEmail(db, account.email)) {
			throw new UsageError(`Un compte existe déjà avec l’adresse ${account.email}.`);
		}
		const passwordHash = await hashPassword(password);
		const id = await db.transaction().execute(async (trx) => {
			const userId = await insertUser(trx, { ...account, organisationId, passwordHash });
			await recordAudit(trx, {
				actor: null,
				action: 'account.created',
				target: { type: 'compte', id: userId },
				summary: `Compte ${account.role} créé en ligne de commande pour ${account.email.toLowerCase()}`,
				after: {
					email: account.email.toLowerCase(),
					name: account.name,
					role: account.role,
					organisationId
				}
			});
			return userId;
		});
		process.stdout.write(
			`Compte n° ${id} créé pour ${account.email.toLowerCase()} (${account.role}).\n`
		);
	} finally {
		await db.destroy();
	}
});
