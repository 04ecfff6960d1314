import type { KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestUser, PEOPLE } from '../auth/testing';
import type { User } from '../auth/users';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { portalSources } from '../../utils/source-testing';
import { queueNotification, readUnsubscribeToken, UNSUBSCRIBE_TOKEN } from './outbox';
import { CATEGORIES, findPreferences } from './preferences-repository';
import { categoryLabel, unsubscribe, unsubscribeTarget } from './preferences';

// Hostile probe s47: the one-click link signed « <account id>.<category> » only. Account ids are
// reused after restoring a backup older than the account (and the signing key is in the database):
// a link written for one person turned off the mail of another account given the same id, and its
// page showed that other address.

let db: Db;
let person: User;

beforeEach(async () => {
	db = await createTestDb();
	person = await createTestUser(db, PEOPLE.claude);
});
afterEach(() => db.destroy());

/** The one-click token of a notification queued for `person`. */
async function tokenFor(to: User): Promise<string> {
	const id = await queueNotification(db, 'validation', 'validations', to, {
		subject: 'Sujet',
		greeting: 'Bonjour,',
		paragraphs: ['Texte.'],
		reason: 'Vous recevez ce message.'
	});
	const row = await db
		.selectFrom('mail_outbox')
		.select('unsubscribe_url')
		.where('id', '=', id!)
		.executeTakeFirstOrThrow();
	return /\/desabonnement\/([^/]+)\/un-clic$/.exec(row.unsubscribe_url!)![1]!;
}

describe('a one-click unsubscribe link', () => {
	it('acts on the account and address it was written for', async () => {
		const token = await tokenFor(person);
		expect(await unsubscribeTarget(db, token)).toMatchObject({
			ok: true,
			value: { email: person.email, category: 'validations' }
		});
		expect((await unsubscribe(db, token, null)).ok).toBe(true);
		expect((await findPreferences(db, person.id)).validations).toBe(false);
	});

	it('does not act on the same account id at another address, nor show that address', async () => {
		const token = await tokenFor(person);
		// The id now another person's (a backup older than the account restored, the id reused).
		const other = 'quelqu.un.d.autre@ailleurs.fr';
		await db
			.updateTable('user_account')
			.set({ email: other })
			.where('id', '=', person.id)
			.execute();

		const shown = await unsubscribeTarget(db, token);
		expect(shown).toMatchObject({ ok: false, status: 410 });
		expect(JSON.stringify(shown)).not.toContain(other);
		expect(await unsubscribe(db, token, null)).toMatchObject({ ok: false, status: 410 });
		expect((await findPreferences(db, person.id)).validations).toBe(true);
	});
});

// Walkthrough s50: « Ne plus envoyer à x@… les courriels suivants : Validations et renvois des
// mises à jour de mon organisation ? », /compte's first person inside a sentence to the reader.
describe('the unsubscribe page', () => {
	it('names the category to the reader, « de votre organisation », where /compte says « mon »', async () => {
		const partner = await createTestUser(db, PEOPLE.paul);
		const token = await tokenFor(partner);
		const yours = 'Validations et renvois des mises à jour de votre organisation';
		expect(await unsubscribeTarget(db, token)).toMatchObject({ ok: true, value: { label: yours } });
		expect(await unsubscribe(db, token, null)).toMatchObject({ ok: true, value: { label: yours } });
		expect(categoryLabel('validations', 'partenaire')).toBe(
			'Validations et renvois des mises à jour de mon organisation'
		);
	});
});

// Left noticed s47: a token naming an id without an account was refused before any signature was
// computed, a token naming an existing one only after: the time a forged token took told which
// small ids exist. The same statements run now, the same signature work follows.
describe('a forged one-click token', () => {
	/** The statements reading `token` runs. */
	async function statementsReading(token: string): Promise<string[]> {
		const seen: string[] = [];
		const recorder: KyselyPlugin = {
			transformQuery: (args) => {
				seen.push(args.node.kind);
				return args.node;
			},
			transformResult: async (args) => args.result
		};
		expect(await readUnsubscribeToken(db.withPlugin(recorder), token)).toBeNull();
		return seen;
	}

	it('costs the same whether its account id exists or not', async () => {
		const forged = 'A'.repeat(43);
		const existing = await statementsReading(`${person.id}.validations.${forged}`);
		const absent = await statementsReading(`${person.id + 1000}.validations.${forged}`);
		expect(existing.length).toBeGreaterThan(1);
		expect(absent).toEqual(existing);
	});
});

// Review h48 (maintainer): the token's reader and the stored link's reader each spelled the
// categories out in a regular expression, beside CATEGORIES.
describe('the categories of a token', () => {
	it('are read from CATEGORIES, never spelled out in a pattern', () => {
		const name = `(?:${CATEGORIES.join('|')})`;
		const spelled = new RegExp(`${name}\\|${name}`, 'g');
		const found = portalSources('src').flatMap(({ path, text }) =>
			[...text.matchAll(spelled)].map((m) => `${path}: ${m[0]}`)
		);
		expect(found).toEqual([]);
	});

	it('reads a token of each category', () => {
		for (const category of CATEGORIES) {
			const token = `${person.id}.${category}.${'A'.repeat(43)}`;
			expect(new RegExp(`^${UNSUBSCRIBE_TOKEN}$`).exec(token)?.[2]).toBe(category);
		}
	});
});
