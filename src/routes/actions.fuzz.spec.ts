import { isActionFailure, isHttpError, isRedirect, type Cookies } from '@sveltejs/kit';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import { type User } from '$lib/server/auth/users';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import type { Db } from '$lib/server/db';
import { closeDatabase } from '$lib/server/db/instance';
import { createTestInstance } from '$lib/server/db/testing';
import { createPartner, progressInput } from '$lib/server/progress/testing';
import { saveProgressUpdate } from '$lib/server/progress/service';
import { actions as loginActions } from './connexion/+page.server';
import { actions as accountActions } from './compte/+page.server';
import { actions as usersActions } from './admin/utilisateurs/+page.server';
import { actions as roleActions } from './admin/utilisateurs/[id=id]/+page.server';
import { actions as reviewActions } from './admin/suivis/[id=id]/+page.server';
import { actions as reportActions } from './espace/fiches/[code=fiche]/suivi/+page.server';
import { actions as withdrawActions } from './espace/suivis/[id=id]/+page.server';
import { actions as commissionActions } from './commission/+page.server';
import { actions as sittingActions } from './commission/seances/[id=id]/+page.server';
import { heldSitting } from '$lib/server/commission/testing';

/**
 * Hostile input thrown at every form action: huge strings, control characters, NaN, negative and
 * >100 %, impossible dates, missing and repeated fields. Every answer is a 4xx with a message;
 * never an unexpected error (a 500), and nothing is written.
 */

let db: Db;
let partner: User;
let admin: User;
let adminSessionId: string;
let partnerSessionId: string;
let submittedId: number;

beforeEach(async () => {
	db = await createTestInstance();
	partner = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
	admin = await createTestUser(db, { ...PEOPLE.admin, password: 'une phrase de passe correcte' });
	adminSessionId = (await createSession(db, admin.id)).session.id;
	partnerSessionId = (await createSession(db, partner.id)).session.id;
	const created = await saveProgressUpdate(db, partner, '9-1', null, progressInput(), null);
	if (!created.ok) throw new Error('setup');
	submittedId = created.value.id;
});
// Each test's database is the process's one in turn: closed after the last, the next file opens its own.
afterAll(closeDatabase);

const hostile = fc.oneof(
	fc.string(),
	fc.string({ unit: 'binary', maxLength: 50 }),
	fc.constantFrom(
		'',
		' ',
		'NaN',
		'-1',
		'-0',
		'101',
		'1e3',
		'0x10',
		'Infinity',
		'2019-02-30',
		'2018-13-01',
		'9999-12-31',
		'1900-01-01',
		'00/00/0000',
		"' OR 1=1 --",
		'<script>alert(1)</script>',
		'\u0000',
		'\u001b[31m',
		'\u202e',
		'a'.repeat(300)
	),
	fc.integer().map(String),
	fc.double().map(String),
	fc.constant('x'.repeat(100_000))
);

type Fields = Record<string, { values: string[] } | null>;

/** Each field: missing (null), once, or repeated. */
function formArbitrary(names: string[], valid: Record<string, fc.Arbitrary<string>> = {}) {
	const field = (name: string) =>
		fc.oneof(
			{ weight: 1, arbitrary: fc.constant(null) },
			{ weight: 4, arbitrary: fc.tuple(valid[name] ?? hostile).map(([v]) => ({ values: [v] })) },
			{ weight: 4, arbitrary: hostile.map((v) => ({ values: [v] })) },
			{ weight: 1, arbitrary: fc.tuple(hostile, hostile).map(([a, b]) => ({ values: [a, b] })) }
		);
	return fc.record(Object.fromEntries(names.map((n) => [n, field(n)]))) as fc.Arbitrary<Fields>;
}

function toFormData(fields: Fields): FormData {
	const data = new FormData();
	for (const [name, field] of Object.entries(fields))
		for (const value of field?.values ?? []) data.append(name, value);
	return data;
}

const cookies: Cookies = {
	get: () => undefined,
	getAll: () => [],
	set: () => undefined,
	delete: () => undefined,
	serialize: () => ''
};

function fakeEvent(
	path: string,
	params: Record<string, string>,
	user: User | null,
	sessionId: string | null,
	form: FormData
) {
	const url = new URL(`http://localhost${path}`);
	return {
		request: new Request(url, { method: 'POST', body: form }),
		url,
		params,
		locals: {
			user,
			session:
				sessionId && user ? { id: sessionId, userId: user.id, createdAt: 0, expiresAt: 0 } : null
		},
		cookies,
		getClientAddress: () => '127.0.0.1',
		route: { id: path },
		setHeaders: () => undefined,
		isDataRequest: false,
		isSubRequest: false
	} as never;
}

/** What an action receives when `user` posts `fields`: signed in if the admin or the partner. */
function postedBy(user: User, path: string, fields: Fields, params: Record<string, string> = {}) {
	const sessionId = user === admin ? adminSessionId : user === partner ? partnerSessionId : null;
	return fakeEvent(path, params, user, sessionId, toFormData(fields));
}

async function snapshot(tables: string[]): Promise<string> {
	const parts: unknown[] = [];
	for (const table of tables)
		parts.push(
			await db
				.selectFrom(table as 'fiche')
				.selectAll()
				.execute()
		);
	return JSON.stringify(parts);
}

const BUSINESS_TABLES = [
	'fiche',
	'progress_update',
	'measurement',
	'user_account',
	'invitation',
	'user_session',
	'data_revision'
];

async function expectRefusal(run: () => unknown, tables = BUSINESS_TABLES) {
	const before = await snapshot(tables);
	let outcome: unknown;
	try {
		outcome = await run();
	} catch (error) {
		if (isRedirect(error))
			throw new Error(`hostile input was accepted (redirect to ${error.location})`);
		if (isHttpError(error) && error.status >= 400 && error.status < 500) {
			expect(error.body.message).toMatch(/\p{L}/u);
			expect(await snapshot(tables)).toBe(before);
			return;
		}
		throw error;
	}
	expect(isActionFailure(outcome), `accepted: ${JSON.stringify(outcome)?.slice(0, 200)}`).toBe(
		true
	);
	if (!isActionFailure(outcome)) return;
	expect(outcome.status).toBeGreaterThanOrEqual(400);
	expect(outcome.status).toBeLessThan(500);
	// Messages live in `errors` (per field) or `message`, at the top or under a form's key.
	const messages: string[] = [];
	const collect = (value: unknown, key = ''): void => {
		if (typeof value === 'string' && (key === 'message' || key === 'errors')) messages.push(value);
		else if (value && typeof value === 'object')
			for (const [k, v] of Object.entries(value)) collect(v, key === 'errors' ? 'errors' : k);
	};
	collect(outcome.data);
	expect(messages.length).toBeGreaterThan(0);
	for (const message of messages) expect(message).toMatch(/^[A-ZÀ-Ýa-z’ ]/u);
	expect(await snapshot(tables)).toBe(before);
}

const RUNS = { numRuns: 60 };

describe('hostile input on every form action', () => {
	it('progress update (/espace/fiches/9-1/suivi)', async () => {
		const names = [
			'reported_on',
			'status',
			'progress',
			'done',
			'next_steps',
			'difficulties',
			'submission_key',
			'version',
			'intent',
			'indicator_1_date',
			'indicator_1_value',
			'indicator_1_comment',
			'priority',
			'title'
		];
		const fiche = await db
			.selectFrom('fiche')
			.select('id')
			.where('code', '=', '9-1')
			.executeTakeFirstOrThrow();
		const indicator = await db
			.selectFrom('indicator')
			.select('id')
			.where('fiche_id', '=', fiche.id)
			.executeTakeFirstOrThrow();
		const renamed = names.map((n) => n.replace('indicator_1', `indicator_${indicator.id}`));
		const valid = {
			reported_on: fc.constant('2026-01-15'),
			status: fc.constantFrom('en_cours', 'realisee'),
			done: fc.constant('Réunion tenue'),
			submission_key: fc.uuid(),
			version: fc.constant(''),
			intent: fc.constantFrom('draft', 'submit')
		};
		await fc.assert(
			fc.asyncProperty(
				formArbitrary(renamed, valid),
				fc.constantFrom(...renamed.slice(0, 9)),
				async (fields, broken) => {
					// At least one field is made invalid on purpose, so every input must be refused.
					fields[broken] = {
						values: [broken === 'done' ? '' : broken === 'version' ? 'abc' : 'x\u0000']
					};
					await expectRefusal(() =>
						reportActions.default!(
							postedBy(partner, '/espace/fiches/9-1/suivi', fields, { code: '9-1' })
						)
					);
				}
			),
			RUNS
		);
	});

	it('login (/connexion)', async () => {
		await fc.assert(
			fc.asyncProperty(formArbitrary(['email', 'password', 'redirectTo']), async (fields) => {
				// A failed login records the failure (journal, throttle): everything else stays untouched.
				await expectRefusal(() =>
					loginActions.default!(fakeEvent('/connexion', {}, null, null, toFormData(fields)))
				);
			}),
			RUNS
		);
	});

	it('password change (/compte)', async () => {
		await fc.assert(
			fc.asyncProperty(formArbitrary(['current', 'next', 'confirm']), async (fields) => {
				// Hostile input, not repeated wrong passwords: those end the session (own test).
				await db.deleteFrom('login_throttle').execute();
				await expectRefusal(() => accountActions.password!(postedBy(partner, '/compte', fields)));
			}),
			{ numRuns: 25 }
		);
	});

	it('login (/connexion) never leaves the portal, whatever redirectTo says', async () => {
		for (const redirectTo of [
			'/\t/evil.example',
			'/\n/evil.example',
			'/\\evil.example',
			'//evil.example',
			'/%2F/evil.example',
			'/\uFF0Fevil.example',
			'https://evil.example',
			'/fiches\r\nSet-Cookie: a=b',
			'/fiches/\u0100'
		]) {
			const form = new FormData();
			form.append('email', 'admin@lot.fr');
			form.append('password', 'une phrase de passe correcte');
			form.append('redirectTo', redirectTo);
			const location = await Promise.resolve(
				loginActions.default!(fakeEvent('/connexion', {}, null, null, form))
			).then(
				() => 'no redirect',
				(error: unknown) => (isRedirect(error) ? error.location : String(error))
			);
			expect(['/admin', '/fiches/%C4%80'], JSON.stringify(redirectTo)).toContain(location);
		}
	});

	it('account creation (/admin/utilisateurs)', async () => {
		await fc.assert(
			fc.asyncProperty(formArbitrary(['email', 'name', 'role', 'organisation']), async (fields) => {
				await expectRefusal(() =>
					usersActions.create!(postedBy(admin, '/admin/utilisateurs', fields))
				);
			}),
			RUNS
		);
		for (const action of ['invite', 'disable', 'enable'] as const) {
			await fc.assert(
				fc.asyncProperty(formArbitrary(['userId']), async (fields) => {
					if (fields.userId?.values.length === 1 && /^\d+$/.test(fields.userId.values[0]!))
						fields.userId = { values: ['999999'] };
					await expectRefusal(() =>
						usersActions[action]!(postedBy(admin, '/admin/utilisateurs', fields))
					);
				}),
				{ numRuns: 20 }
			);
			// A real account's id sent twice, once empty (found by a run of the property above).
			const twice = new FormData();
			twice.append('userId', String(partner.id));
			twice.append('userId', '');
			await expectRefusal(() =>
				usersActions[action]!(fakeEvent('/admin/utilisateurs', {}, admin, adminSessionId, twice))
			);
		}
	});

	it('a role change (/admin/utilisateurs/N)', async () => {
		// Hostile values never change the partner's role, whatever the account the address names.
		await fc.assert(
			fc.asyncProperty(
				formArbitrary(['role', 'organisation', 'currentRole', 'currentOrganisationId']),
				fc.constantFrom(String(partner.id), String(admin.id), '999999'),
				async (fields, id) => {
					await expectRefusal(() =>
						roleActions.role!(postedBy(admin, `/admin/utilisateurs/${id}`, fields, { id }))
					);
				}
			),
			RUNS
		);
	});

	it('review (/admin/suivis/[id=id])', async () => {
		await fc.assert(
			fc.asyncProperty(
				formArbitrary(['version', 'comment']),
				fc.constantFrom('valider', 'renvoyer'),
				async (fields, action) => {
					if (fields.version?.values.length === 1 && fields.version.values[0] === '1')
						fields.version = { values: ['2'] };
					await expectRefusal(() =>
						reviewActions[action]!(
							postedBy(admin, `/admin/suivis/${submittedId}`, fields, { id: String(submittedId) })
						)
					);
				}
			),
			RUNS
		);
	});

	it('withdraw a submitted update (/espace/suivis/[id=id])', async () => {
		await fc.assert(
			fc.asyncProperty(formArbitrary(['version']), async (fields) => {
				// The one valid version would withdraw it: every other input must be refused.
				if (fields.version?.values.length === 1 && /^0*1$/.test(fields.version.values[0]!))
					fields.version = { values: ['2'] };
				await expectRefusal(() =>
					withdrawActions.retirer!(
						postedBy(partner, `/espace/suivis/${submittedId}`, fields, { id: String(submittedId) })
					)
				);
			}),
			RUNS
		);
	});

	it('commission: sitting creation and decisions', async () => {
		await fc.assert(
			fc.asyncProperty(
				formArbitrary(['held_on', 'place', 'title'], {
					place: fc.constant('Cahors'),
					title: fc.constant('Commission')
				}),
				async (fields) => {
					fields.held_on = { values: ['2026-02-30'] };
					await expectRefusal(() =>
						commissionActions.create!(postedBy(admin, '/commission', fields))
					);
				}
			),
			{ numRuns: 30 }
		);
		const { sittingId, itemId } = await heldSitting(db, admin);
		const params = { id: String(sittingId) };
		await fc.assert(
			fc.asyncProperty(
				formArbitrary(['itemId', 'kind', 'new_priority', 'opinion', 'text'], {
					itemId: fc.constant(String(itemId)),
					kind: fc.constantFrom('priority', 'opinion', 'free')
				}),
				async (fields) => {
					// Always one field that cannot pass: no text (the rationale is required).
					fields.text = { values: ['  '] };
					await expectRefusal(() =>
						sittingActions.decide!(
							postedBy(admin, `/commission/seances/${sittingId}`, fields, params)
						)
					);
				}
			),
			RUNS
		);
		for (const action of [
			'addFiches',
			'addFree',
			'removeItem',
			'addMember',
			'addGuest',
			'removeAttendee'
		] as const) {
			await fc.assert(
				fc.asyncProperty(
					formArbitrary(['codes', 'title', 'itemId', 'userId', 'guest_name', 'attendeeId']),
					async (fields) => {
						// Values that name nothing real, or are not valid: nothing may be written.
						for (const name of ['codes', 'itemId', 'userId', 'attendeeId'])
							if (fields[name]?.values.some((v) => /^\d/.test(v)))
								fields[name] = { values: ['999-9'] };
						for (const name of ['title', 'guest_name']) fields[name] = { values: [''] };
						await expectRefusal(() =>
							sittingActions[action]!(
								postedBy(admin, `/commission/seances/${sittingId}`, fields, params)
							)
						);
					}
				),
				{ numRuns: 15 }
			);
		}
	});

	it('refuses a partner of another organisation on the report action, writing nothing', async () => {
		const other = await createPartner(db, 'ars', 'alice@ars.fr');
		const form = new FormData();
		for (const [k, v] of Object.entries({
			reported_on: '2026-01-15',
			status: 'en_cours',
			progress: '10',
			done: 'x',
			next_steps: '',
			difficulties: '',
			submission_key: 'abcdefgh12',
			version: '',
			intent: 'submit'
		}))
			form.append(k, v);
		await expectRefusal(
			() =>
				reportActions.default!(
					fakeEvent('/espace/fiches/9-1/suivi', { code: '9-1' }, other, null, form)
				),
			['progress_update', 'measurement']
		);
	});
});
