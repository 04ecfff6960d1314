// npm run demo : demonstration accounts (one per role) with random passwords printed once, and a
// few draft and submitted updates, so a newcomer can try each role. Never run by npm start.
import process from 'node:process';
import { hashPassword } from '../src/lib/server/auth/password';
import { createAccountWithPassword } from '../src/lib/server/auth/service';
import { randomToken } from '../src/lib/server/auth/tokens';
import { findUserByEmail, findUserById } from '../src/lib/server/auth/users';
import type { Db } from '../src/lib/server/db';
import { initDatabase } from '../src/lib/server/db/instance';
import type { Role } from '../src/lib/server/db/schema';
import { saveProgressUpdate } from '../src/lib/server/progress/service';
import { findFicheForReporting } from '../src/lib/server/progress/repository';
import { commandDatabasePath, parseOptions, runCommand, takeCreateOption } from './cli';
import { parisToday } from '../src/lib/utils/dates';
import { plural } from '../src/lib/utils/format';

const ACCOUNTS: { email: string; name: string; role: Role; organisation?: string }[] = [
	{
		email: 'demo.partenaire@lot-numerique.invalid',
		name: 'Camille Partenaire (démo)',
		role: 'partenaire',
		organisation: 'cdg46'
	},
	{
		email: 'demo.commission@lot-numerique.invalid',
		name: 'Dominique Commission (démo)',
		role: 'commission'
	},
	{ email: 'demo.admin@lot-numerique.invalid', name: 'Alex Administration (démo)', role: 'admin' }
];

const USAGE = `Usage : npm run demo -- [--creer]
Crée dans la base (DATABASE_PATH) un compte de démonstration par rôle, administrateur compris, et affiche leurs mots de passe une fois : jamais sur la base de production. Une base qui n’existe pas est refusée, sauf avec --creer.`;

/** The sample updates the demonstration partner saves: two submitted, one draft. */
const SAMPLES = [
	{
		code: '1-2',
		intent: 'submit' as const,
		status: 'en_cours' as const,
		progress: 20,
		done: 'Recensement des besoins de formation engagé auprès de 12 collectivités.\n- questionnaire envoyé en mars\n- 8 réponses reçues',
		next: 'Synthèse des réponses et premier catalogue de formations.',
		measured: { value: 8, comment: 'réponses au questionnaire' }
	},
	{
		code: '9-1',
		intent: 'submit' as const,
		status: 'en_cours' as const,
		progress: 10,
		done: 'Première réunion du groupe des agents référents SI.',
		next: 'Cartographier l’offre du SDAIL et du centre de gestion.',
		measured: null
	},
	{
		code: '5-1',
		intent: 'draft' as const,
		status: 'a_lancer' as const,
		progress: null,
		done: 'Brouillon : repérage des référents open data dans les EPCI.',
		next: '',
		measured: null
	}
];

type Created = { email: string; role: Role; password: string; id: number };

/** One account per role (ACCOUNTS), each with a random password, returned to be printed once. */
async function createDemoAccounts(db: Db): Promise<Created[]> {
	const created: Created[] = [];
	for (const account of ACCOUNTS) {
		// Four random words' worth of entropy (100 bits), readable enough to type once.
		const password = randomToken(13)
			.replace(/(.{5})/g, '$1-')
			.replace(/-$/, '');
		const made = await createAccountWithPassword(
			db,
			{ ...account, organisation: account.organisation ?? '' },
			await hashPassword(password),
			'par npm run demo (démonstration)',
			'commande demo'
		);
		if (!made.ok) throw new Error(made.message);
		created.push({ email: account.email, role: account.role, password, id: made.value.userId });
	}
	return created;
}

/**
 * The partner's sample updates (SAMPLES), as saved. What was saved is said, not what was meant:
 * on another database (the bench's), the partner may not report on a fiche, or may already have
 * an update there.
 */
async function saveDemoUpdates(db: Db, partnerId: number) {
	const partner = (await findUserById(db, partnerId))!;
	const today = parisToday();
	const saved: { submit: string[]; draft: string[] } = { submit: [], draft: [] };
	const refused: string[] = [];
	for (const sample of SAMPLES) {
		const fiche = (await findFicheForReporting(db, sample.code))!;
		const result = await saveProgressUpdate(
			db,
			partner,
			sample.code,
			null,
			{
				reportedOn: today,
				status: sample.status,
				progress: sample.progress,
				done: sample.done,
				nextSteps: sample.next,
				difficulties: '',
				submissionKey: `demo-${sample.code}`,
				version: null,
				intent: sample.intent,
				measurements: sample.measured
					? [{ indicatorId: fiche.indicators[0]!.id, measuredOn: today, ...sample.measured }]
					: []
			},
			null
		);
		if (result.ok) saved[sample.intent].push(sample.code);
		else refused.push(`fiche ${sample.code} : ${result.message}`);
	}
	return { saved, refused };
}

runCommand(async () => {
	const { argv, missing } = takeCreateOption(process.argv.slice(2));
	parseOptions(argv, [], USAGE);
	const db = await initDatabase(commandDatabasePath(missing));
	try {
		if (await findUserByEmail(db, ACCOUNTS[0]!.email)) {
			process.stdout.write(
				'Les comptes de démonstration existent déjà : rien n’a été changé. Un administrateur peut leur créer un nouveau lien de connexion depuis /admin/utilisateurs.\n'
			);
			return;
		}
		const created = await createDemoAccounts(db);
		const { saved, refused } = await saveDemoUpdates(db, created[0]!.id);
		process.stdout.write(
			'Comptes de démonstration créés. Notez les mots de passe : ils ne seront plus affichés.\n\n'
		);
		for (const account of created) {
			process.stdout.write(
				`  ${account.role.padEnd(11)} ${account.email}  mot de passe : ${account.password}\n`
			);
		}
		process.stdout.write(`\n${demoUpdatesSentence(saved, refused)}\n`);
	} finally {
		await db.destroy();
	}
});

/**
 * What the partner's sample updates became, as saved: « Le partenaire (CDG46) a soumis deux mises
 * à jour (fiches 1-2 et 9-1) et garde un brouillon (5-1). », then each one refused and why.
 */
function demoUpdatesSentence(saved: { submit: string[]; draft: string[] }, refused: string[]) {
	const { submit, draft } = saved;
	const count = (n: number) => ['une', 'deux'][n - 1] ?? String(n);
	const parts = [
		submit.length > 0 &&
			`a soumis ${count(submit.length)} ${plural(submit.length, 'mise à jour', 'mises à jour')} (${plural(submit.length, 'fiche', 'fiches')} ${submit.join(' et ')})`,
		draft.length > 0 &&
			`garde ${plural(draft.length, 'un brouillon', `${draft.length} brouillons`)} (${draft.join(' et ')})`
	].filter((part) => part !== false);
	return [
		parts.length > 0
			? `Le partenaire (CDG46) ${parts.join(' et ')}.`
			: 'Le partenaire (CDG46) n’a aucune mise à jour de démonstration.',
		...refused.map((r) => `Mise à jour de démonstration non enregistrée, ${r}`),
		'Connectez-vous sur /connexion.'
	].join('\n');
}
