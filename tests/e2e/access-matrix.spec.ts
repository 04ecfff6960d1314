import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './helpers/portal';
import { ACCOUNTS, apiAs } from './helpers/accounts';
import { daysAfter, parisToday } from '../../src/lib/utils/dates';

/**
 * Every route, GET and each action, as anonymous, partner of the fiche's organisation, partner of
 * another organisation, commission member and admin, against the expected status.
 */
type Who = 'anonyme' | 'partenaire' | 'autrePartenaire' | 'commission' | 'admin';
const WHO: Who[] = ['anonyme', 'partenaire', 'autrePartenaire', 'commission', 'admin'];
type Row = [
	method: 'GET' | 'POST',
	path: string,
	form: Record<string, string> | null,
	expected: [number, number, number, number, number]
];

const clients = {} as Record<Who, APIRequestContext>;
/** A day in Paris a month (two months) from now: a deadline the campaign form accepts. */
const daysAhead = (days: number) =>
	new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', {
		timeZone: 'Europe/Paris'
	});
const IN_A_MONTH = daysAhead(30);
const IN_TWO_MONTHS = daysAhead(60);
let draftId = 0;
let submittedId = 0;
let discardedId = 0;
let openSitting = 0;
let closedSitting = 0;

test.beforeAll(async () => {
	clients.anonyme = await apiAs(null);
	clients.partenaire = await apiAs(ACCOUNTS.partner);
	clients.autrePartenaire = await apiAs(ACCOUNTS.otherPartner);
	clients.commission = await apiAs(ACCOUNTS.commission);
	clients.admin = await apiAs(ACCOUNTS.admin);
	const form = (intent: string, key: string) => ({
		reported_on: '2026-01-10',
		status: 'en_cours',
		progress: '10',
		done: 'Matrice des accès',
		next_steps: '',
		difficulties: '',
		submission_key: key,
		version: '',
		intent
	});
	// One open update per fiche and organisation: the draft and the submitted one on two fiches.
	for (const [intent, key, fiche] of [
		['draft', 'matrice-brouillon', '5-1'],
		['submit', 'matrice-soumise', '1-1']
	] as const) {
		const response = await clients.partenaire.post(`/espace/fiches/${fiche}/suivi`, {
			form: form(intent, key)
		});
		expect(response.status()).toBe(303);
		const location = response.headers().location ?? '';
		if (intent === 'draft') draftId = Number(/brouillon=(\d+)/.exec(location)?.[1]);
	}
	// A draft of 9-1 discarded by its organisation: its number answers « Brouillon supprimé ».
	const discarding = await clients.partenaire.post('/espace/fiches/9-1/suivi', {
		form: form('draft', 'matrice-supprimee'),
		maxRedirects: 0
	});
	discardedId = Number(/brouillon=(\d+)/.exec(discarding.headers().location ?? '')?.[1]);
	const discarded = await clients.partenaire.post(`/espace/suivis/${discardedId}?/supprimer`, {
		form: { version: '1', confirm: 'oui' },
		maxRedirects: 0
	});
	expect(discarded.headers().location).toBe(`/espace/suivis/${discardedId}/supprime`);
	const queue = await (await clients.admin.get('/admin/suivis')).text();
	submittedId = Number(/\/admin\/suivis\/(\d+)/.exec(queue)?.[1]);
	expect(draftId).toBeGreaterThan(0);
	expect(submittedId).toBeGreaterThan(0);
	const created = await clients.commission.post('/commission?/create', {
		// A day to come: a séance whose day is past is not convened.
		form: {
			held_on: daysAfter(parisToday(), 20),
			place: 'Cahors',
			title: 'Séance de la matrice'
		},
		maxRedirects: 0
	});
	expect(created.status()).toBe(303);
	openSitting = Number(/seances\/(\d+)/.exec(created.headers().location ?? '')?.[1]);
	expect(
		(
			await clients.commission.post(`/commission/seances/${openSitting}?/addFiches`, {
				form: { codes: '9-1' },
				maxRedirects: 0
			})
		).status()
		// Sent without script, a success leads to the page again (Post/Redirect/Get).
	).toBe(303);
	const list = await (await clients.anonyme.get('/commission')).text();
	closedSitting = Number(/\/commission\/seances\/(\d+)/.exec(list)?.[1]);
	expect(closedSitting).toBeGreaterThan(0);
});

test.afterAll(async () => {
	for (const client of Object.values(clients)) await client.dispose();
});

const rows = (): Row[] => [
	['GET', '/', null, [200, 200, 200, 200, 200]],
	['GET', '/historique', null, [200, 200, 200, 200, 200]],
	['GET', '/fiches?priorite=1', null, [200, 200, 200, 200, 200]],
	['GET', '/fiches/9-1', null, [200, 200, 200, 200, 200]],
	['GET', '/fiches/14-1/historique/2018', null, [200, 200, 200, 200, 200]],
	['GET', '/fiches/14-1/historique/2017', null, [404, 404, 404, 404, 404]],
	// Published pages and their files (#16, #18): public.
	['GET', '/tableau-de-bord', null, [200, 200, 200, 200, 200]],
	['GET', '/tableau-de-bord/statuts-priorites.csv', null, [200, 200, 200, 200, 200]],
	['GET', '/tableau-de-bord/statuts-priorites.xlsx', null, [200, 200, 200, 200, 200]],
	['GET', '/bilans', null, [200, 200, 200, 200, 200]],
	['GET', '/bilans/2018', null, [200, 200, 200, 200, 200]],
	['GET', '/bilans/2099', null, [404, 404, 404, 404, 404]],
	['GET', '/bilans/2018/plan.json', null, [200, 200, 200, 200, 200]],
	['GET', '/bilans/2018/statuts-priorites.csv', null, [200, 200, 200, 200, 200]],
	['GET', '/bilans/2018/statuts-priorites.xlsx', null, [200, 200, 200, 200, 200]],
	['GET', '/organisations', null, [200, 200, 200, 200, 200]],
	['GET', '/donnees', null, [200, 200, 200, 200, 200]],
	['GET', '/accessibilite', null, [200, 200, 200, 200, 200]],
	['GET', '/mentions-legales', null, [200, 200, 200, 200, 200]],
	['GET', '/donnees-personnelles', null, [200, 200, 200, 200, 200]],
	// A fiche as a published edition froze it (#16): public; unknown fiche or edition, 404.
	['GET', '/bilans/2018/fiches/17-1', null, [200, 200, 200, 200, 200]],
	['GET', '/bilans/2018/fiches/17-9', null, [404, 404, 404, 404, 404]],
	['GET', '/bilans/2099/fiches/17-1', null, [404, 404, 404, 404, 404]],
	// The version to print of an edition (the PDF report prints it): public like the edition.
	['GET', '/bilans/2018/impression', null, [200, 200, 200, 200, 200]],
	['GET', '/bilans/2099/impression', null, [404, 404, 404, 404, 404]],
	// The charts of the dashboard and of an edition, drawn by their pages' script: public.
	['GET', '/tableau-de-bord/graphiques.json', null, [200, 200, 200, 200, 200]],
	['GET', '/bilans/2018/graphiques.json', null, [200, 200, 200, 200, 200]],
	['GET', '/bilans/2099/graphiques.json', null, [404, 404, 404, 404, 404]],
	['GET', '/organisations/cdg46', null, [200, 200, 200, 200, 200]],
	// An address typed in capitals, as the name is shown: to the lower-case one, for everyone.
	['GET', '/organisations/CDG46', null, [308, 308, 308, 308, 308]],
	['GET', '/donnees/plan.json', null, [200, 200, 200, 200, 200]],
	['GET', '/donnees/fiches.csv', null, [200, 200, 200, 200, 200]],
	['GET', '/donnees/plan.xlsx', null, [200, 200, 200, 200, 200]],
	['GET', '/sante', null, [200, 200, 200, 200, 200]],
	['GET', '/connexion', null, [200, 303, 303, 303, 303]],
	// Signed in already: the login page sends the person on to their home page.
	['POST', '/connexion', { email: '', password: '' }, [400, 303, 303, 303, 303]],
	['GET', '/invitation/jeton-invalide', null, [410, 410, 410, 410, 410]],
	['POST', '/invitation/jeton-invalide', { password: '', confirm: '' }, [410, 410, 410, 410, 410]],
	['GET', '/compte', null, [303, 200, 200, 200, 200]],
	['POST', '/compte?/password', { current: '', next: '', confirm: '' }, [303, 400, 400, 400, 400]],
	['POST', '/compte?/preferences', { reminders: 'x' }, [303, 400, 400, 400, 400]],
	['GET', '/deconnexion', null, [303, 200, 200, 200, 200]],
	// Another role is taken to its own home page.
	['GET', '/espace', null, [303, 200, 200, 303, 303]],
	['GET', '/espace/fiches/9-1/suivi', null, [303, 200, 403, 403, 403]],
	// Another organisation's partner: answered as one taken off the fiche while writing (409, the
	// typing kept, nothing saved), which the portal cannot tell apart.
	['POST', '/espace/fiches/9-1/suivi', { done: '' }, [303, 400, 409, 403, 403]],
	// Another organisation's update is answered as one that does not exist (hostile probe s47).
	['GET', `/espace/fiches/5-1/suivi?brouillon=${draftId}`, null, [303, 200, 404, 404, 404]],
	[
		'POST',
		`/espace/fiches/5-1/suivi?brouillon=${draftId}`,
		{ done: '' },
		[303, 400, 404, 404, 404]
	],
	// The organisation's open update of 5-1 is resumed rather than a second one started.
	['GET', '/espace/fiches/5-1/suivi', null, [303, 303, 403, 403, 403]],
	['GET', `/espace/suivis/${submittedId}`, null, [303, 200, 404, 404, 404]],
	['POST', `/espace/suivis/${submittedId}?/retirer`, { version: 'x' }, [303, 400, 404, 404, 404]],
	['GET', '/espace/suivis/999999', null, [303, 404, 404, 404, 404]],
	// Discarding a draft: its organisation's partner only; anyone else as for a missing update.
	['POST', `/espace/suivis/${draftId}?/supprimer`, { version: 'x' }, [303, 400, 404, 404, 404]],
	['POST', `/espace/suivis/${submittedId}?/supprimer`, { version: '1' }, [303, 400, 404, 404, 404]],
	['GET', `/espace/suivis/${discardedId}`, null, [303, 303, 404, 404, 404]],
	['GET', `/espace/suivis/${discardedId}/supprime`, null, [303, 200, 404, 404, 404]],
	['GET', `/espace/suivis/${draftId}/supprime`, null, [303, 404, 404, 404, 404]],
	[
		'POST',
		`/espace/suivis/${discardedId}?/supprimer`,
		{ version: '1', confirm: 'oui' },
		[303, 303, 404, 404, 404]
	],
	['GET', `/espace/fiches/9-1/suivi?brouillon=${discardedId}`, null, [303, 303, 404, 404, 404]],
	['GET', '/espace/fiches/99-9/suivi', null, [303, 404, 404, 404, 404]],
	['GET', '/admin', null, [303, 403, 403, 403, 200]],
	['GET', '/admin/suivis', null, [303, 403, 403, 403, 200]],
	['GET', `/admin/suivis/${submittedId}`, null, [303, 403, 403, 403, 200]],
	['POST', `/admin/suivis/${submittedId}?/valider`, { version: 'x' }, [303, 403, 403, 403, 400]],
	[
		'POST',
		`/admin/suivis/${submittedId}?/renvoyer`,
		{ version: '1', comment: '' },
		[303, 403, 403, 403, 400]
	],
	['GET', '/admin/utilisateurs', null, [303, 403, 403, 403, 200]],
	['POST', '/admin/utilisateurs?/create', { email: 'pas-une-adresse' }, [303, 403, 403, 403, 400]],
	['POST', '/admin/utilisateurs?/invite', { userId: '999999' }, [303, 403, 403, 403, 404]],
	['POST', '/admin/utilisateurs?/disable', { userId: '999999' }, [303, 403, 403, 403, 404]],
	['POST', '/admin/utilisateurs?/enable', { userId: '999999' }, [303, 403, 403, 403, 404]],
	['GET', '/admin/utilisateurs/1', null, [303, 403, 403, 403, 200]],
	['GET', '/admin/utilisateurs/999999', null, [303, 403, 403, 403, 404]],
	[
		'POST',
		'/admin/utilisateurs/999999?/role',
		{ role: 'admin', organisation: '', currentRole: 'partenaire', currentOrganisationId: '3' },
		[303, 403, 403, 403, 404]
	],
	['GET', '/admin/journal', null, [303, 403, 403, 403, 200]],
	// Bilans (#18): drafted, previewed and published by admins only.
	['GET', '/admin/bilans', null, [303, 403, 403, 403, 200]],
	['POST', '/admin/bilans?/save', { year: '' }, [303, 403, 403, 403, 400]],
	['GET', '/admin/bilans/1', null, [303, 403, 403, 403, 200]],
	['GET', '/admin/bilans/999999', null, [303, 403, 403, 403, 404]],
	// Editing the plan (#16): admins only; its revisions are public (commission members included).
	['GET', '/admin/plan', null, [303, 403, 403, 403, 200]],
	['GET', '/admin/plan/fiches/9-1', null, [303, 403, 403, 403, 200]],
	['GET', '/admin/plan/fiches/99-9', null, [303, 403, 403, 403, 404]],
	['POST', '/admin/plan/fiches/9-1?/enregistrer', { version: 'x' }, [303, 403, 403, 403, 400]],
	['POST', '/admin/plan/fiches/9-1?/abandonner', { version: 'x' }, [303, 403, 403, 403, 400]],
	['POST', '/admin/plan/fiches/9-1?/statut', { version: 'x' }, [303, 403, 403, 403, 400]],
	['POST', '/admin/plan?/ajouter', { objective: 'x' }, [303, 403, 403, 403, 400]],
	// The plan's structure (#16): axes, orientations, objectives, added and edited by admins only.
	['GET', '/admin/plan/axes/1', null, [303, 403, 403, 403, 200]],
	['GET', '/admin/plan/axes/999999', null, [303, 403, 403, 403, 404]],
	['GET', '/admin/plan/axes/nouveau', null, [303, 403, 403, 403, 200]],
	['POST', '/admin/plan/axes/1?/enregistrer', { label: '' }, [303, 403, 403, 403, 400]],
	['POST', '/admin/plan/axes/nouveau?/enregistrer', { label: '' }, [303, 403, 403, 403, 400]],
	['GET', '/admin/plan/orientations/1', null, [303, 403, 403, 403, 200]],
	['GET', '/admin/plan/orientations/999999', null, [303, 403, 403, 403, 404]],
	['GET', '/admin/plan/orientations/nouveau', null, [303, 403, 403, 403, 200]],
	['POST', '/admin/plan/orientations/1?/enregistrer', { label: '' }, [303, 403, 403, 403, 400]],
	[
		'POST',
		'/admin/plan/orientations/nouveau?/enregistrer',
		{ label: '' },
		[303, 403, 403, 403, 400]
	],
	['GET', '/admin/plan/objectifs/1', null, [303, 403, 403, 403, 200]],
	['GET', '/admin/plan/objectifs/999999', null, [303, 403, 403, 403, 404]],
	['GET', '/admin/plan/objectifs/nouveau', null, [303, 403, 403, 403, 200]],
	['POST', '/admin/plan/objectifs/1?/enregistrer', { label: '' }, [303, 403, 403, 403, 400]],
	['POST', '/admin/plan/objectifs/1?/retirer', { reason: '' }, [303, 403, 403, 403, 400]],
	['POST', '/admin/plan/axes/1?/retirer', { reason: '' }, [303, 403, 403, 403, 400]],
	['POST', '/admin/plan/objectifs/nouveau?/enregistrer', { label: '' }, [303, 403, 403, 403, 400]],
	['GET', '/admin/organisations', null, [303, 403, 403, 403, 200]],
	['GET', '/admin/organisations?q=cdg', null, [303, 403, 403, 403, 200]],
	['POST', '/admin/organisations?/create', { name: '' }, [303, 403, 403, 403, 400]],
	['GET', '/admin/organisations/1', null, [303, 403, 403, 403, 200]],
	['GET', '/admin/organisations/999999', null, [303, 403, 403, 403, 404]],
	['POST', '/admin/organisations/1?/modifier', { name: '' }, [303, 403, 403, 403, 400]],
	['POST', '/admin/organisations/1?/fusionner', { into: 'x' }, [303, 403, 403, 403, 400]],
	['POST', '/admin/organisations/1?/retirer', { version: 'x' }, [303, 403, 403, 403, 400]],
	['GET', '/fiches/9-1/modifications', null, [200, 200, 200, 200, 200]],
	['GET', '/fiches/99-9/modifications', null, [404, 404, 404, 404, 404]],
	['GET', '/admin/plan/import', null, [303, 403, 403, 403, 200]],
	['POST', '/admin/plan/import?/preview', {}, [303, 403, 403, 403, 400]],
	[
		'POST',
		'/admin/plan/import?/apply',
		{ token: 'x', digest: 'x', reason: '' },
		[303, 403, 403, 403, 409]
	],
	// Mail (#17).
	['GET', '/admin/courriels', null, [303, 403, 403, 403, 200]],
	['POST', '/admin/courriels?/retry', {}, [303, 403, 403, 403, 409]],
	['GET', '/admin/campagnes', null, [303, 403, 403, 403, 200]],
	['POST', '/admin/campagnes?/open', { title: '' }, [303, 403, 403, 403, 400]],
	['GET', '/admin/campagnes/999999', null, [303, 403, 403, 403, 404]],
	['GET', '/admin/campagnes/999999/suivi.csv', null, [303, 403, 403, 403, 404]],
	['GET', '/admin/campagnes/999999/suivi.xlsx', null, [303, 403, 403, 403, 404]],
	['POST', '/admin/campagnes/999999?/close', { confirm: 'oui' }, [303, 403, 403, 403, 404]],
	// A campaign's new deadline (a valid form: the admin is told the campaign does not exist).
	[
		'POST',
		'/admin/campagnes/999999?/dates',
		{
			deadline: IN_A_MONTH,
			reminders: '',
			shownDeadline: IN_TWO_MONTHS,
			shownReminders: '',
			notify: 'oui'
		},
		[303, 403, 403, 403, 404]
	],
	// The member's convocation goes; the admin's, right after with nothing changed, is refused.
	['POST', `/commission/seances/${openSitting}?/convene`, {}, [303, 403, 403, 303, 409]],
	['POST', '/admin/utilisateurs?/revoke', { userId: '999999' }, [303, 403, 403, 403, 404]],
	['GET', '/mot-de-passe-oublie', null, [200, 200, 200, 200, 200]],
	['POST', '/mot-de-passe-oublie', { email: 'pas-une-adresse' }, [400, 400, 400, 400, 400]],
	['GET', '/mot-de-passe-oublie/jeton-invalide', null, [410, 410, 410, 410, 410]],
	[
		'POST',
		'/mot-de-passe-oublie/jeton-invalide',
		{
			password: 'une phrase assez longue pour passer',
			confirm: 'une phrase assez longue pour passer'
		},
		[410, 410, 410, 410, 410]
	],
	['GET', '/commission', null, [200, 200, 200, 200, 200]],
	// Unsubscribing (#17): guarded by its signed token alone, whoever asks.
	['GET', '/desabonnement/jeton-invalide', null, [410, 410, 410, 410, 410]],
	['POST', '/desabonnement/jeton-invalide', {}, [410, 410, 410, 410, 410]],
	['GET', '/desabonnement/jeton-invalide/un-clic', null, [303, 303, 303, 303, 303]],
	['POST', '/desabonnement/jeton-invalide/un-clic', {}, [410, 410, 410, 410, 410]],
	[
		'POST',
		'/commission?/create',
		{ held_on: 'pas une date', place: '', title: '' },
		[303, 403, 403, 400, 400]
	],
	['GET', '/commission/priorites?axe=modernite', null, [200, 200, 200, 200, 200]],
	['GET', `/commission/seances/${closedSitting}`, null, [200, 200, 200, 200, 200]],
	['GET', `/commission/seances/${closedSitting}/releve.csv`, null, [200, 200, 200, 200, 200]],
	['GET', `/commission/seances/${openSitting}`, null, [303, 404, 404, 200, 200]],
	['GET', `/commission/seances/${openSitting}/releve.csv`, null, [404, 404, 404, 404, 404]],
	['GET', `/commission/seances/${closedSitting}/releve.xlsx`, null, [200, 200, 200, 200, 200]],
	['GET', `/commission/seances/${openSitting}/releve.xlsx`, null, [404, 404, 404, 404, 404]],
	['GET', `/commission/seances/${openSitting}/fiches/9-1`, null, [303, 200, 404, 200, 200]],
	['GET', `/commission/seances/${openSitting}/fiches/1-1`, null, [303, 404, 404, 404, 404]],
	// Probe s43: an anonymous visitor is sent to sign in, as for a séance not yet public.
	['GET', '/commission/seances/999999', null, [303, 404, 404, 404, 404]],
	// Review s59: a séance not yet published answers a partner as one that does not exist.
	['GET', '/commission/seances/999999/fiches/9-1', null, [303, 404, 404, 404, 404]],
	[
		'POST',
		`/commission/seances/${openSitting}?/addFiches`,
		// A ticked fiche refused (moved, abandoned, gone) is a 409 that reads the page again (s56).
		{ codes: '99-9' },
		[303, 403, 403, 409, 409]
	],
	['POST', `/commission/seances/${openSitting}?/addFree`, { title: '' }, [303, 403, 403, 400, 400]],
	[
		'POST',
		`/commission/seances/${openSitting}?/removeItem`,
		{ itemId: 'x' },
		[303, 403, 403, 400, 400]
	],
	[
		'POST',
		`/commission/seances/${openSitting}?/addMember`,
		{ userId: 'x' },
		[303, 403, 403, 400, 400]
	],
	[
		'POST',
		`/commission/seances/${openSitting}?/addGuest`,
		{ guest_name: '' },
		[303, 403, 403, 400, 400]
	],
	[
		'POST',
		`/commission/seances/${openSitting}?/removeAttendee`,
		{ attendeeId: 'x' },
		[303, 403, 403, 400, 400]
	],
	[
		'POST',
		`/commission/seances/${openSitting}?/decide`,
		{ itemId: 'x', kind: 'priority', new_priority: '3', text: '' },
		[303, 403, 403, 400, 400]
	],
	[
		'POST',
		`/commission/seances/${openSitting}?/removeDecision`,
		{ decisionId: 'x' },
		[303, 403, 403, 400, 400]
	],
	[
		'POST',
		`/commission/seances/${openSitting}?/edit`,
		{ held_on: 'pas une date', place: '', title: '' },
		[303, 403, 403, 400, 400]
	],
	['POST', `/commission/seances/${closedSitting}?/hold`, {}, [303, 403, 403, 409, 409]],
	// Unconfirmed: refused before anything is deleted; a closed séance is never deleted.
	['POST', `/commission/seances/${openSitting}?/delete`, {}, [303, 403, 403, 400, 400]],
	[
		'POST',
		`/commission/seances/${closedSitting}?/delete`,
		{ confirm: 'oui' },
		[303, 403, 403, 409, 409]
	],
	[
		'POST',
		`/commission/seances/${closedSitting}?/close`,
		{ confirm: 'oui' },
		[303, 403, 403, 409, 409]
	],
	// Closing and publishing go through a confirmation page first.
	['POST', `/commission/seances/${openSitting}?/close`, {}, [303, 403, 403, 303, 303]],
	['GET', `/commission/seances/${openSitting}/cloture`, null, [303, 403, 403, 409, 409]],
	// A closed sitting's confirmation step leads to its relevé.
	['GET', `/commission/seances/${closedSitting}/cloture`, null, [303, 403, 403, 303, 303]],
	// A published edition's confirmation step leads to the edition as published.
	['GET', '/admin/bilans/1/publication', null, [303, 403, 403, 403, 303]],
	['POST', '/admin/bilans/1?/publish', {}, [303, 403, 403, 403, 303]]
];

test('every route answers each role as expected', async () => {
	// Hundreds of requests, one after another: 10-20 s alone, and it reached the default 30 s on a
	// machine loaded by the rest of the suite.
	test.setTimeout(90_000);
	const failures: string[] = [];
	for (const [method, path, form, expected] of rows()) {
		for (const [index, who] of WHO.entries()) {
			const client = clients[who];
			const response =
				method === 'GET' ? await client.get(path) : await client.post(path, { form: form ?? {} });
			if (response.status() !== expected[index])
				failures.push(
					`${method} ${path} as ${who}: ${response.status()} (expected ${expected[index]})`
				);
			// Anonymous sent away where a signed-in profile is answered: to the sign-in page.
			const signInFirst = expected.some((status) => status !== 303);
			if (
				response.status() === 303 &&
				expected[index] === 303 &&
				who === 'anonyme' &&
				signInFirst
			) {
				expect(response.headers().location).toMatch(/^\/connexion\?redirectTo=/);
			}
			if (response.status() >= 500) failures.push(`${method} ${path} as ${who}: server error`);
		}
	}
	expect(failures).toEqual([]);
});

// Walkthrough of the roles (s54): a campaign's suivi.csv asked for by a partner or a member was
// « Erreur 403 » with « Retour à l’accueil du portail », where every /admin page is « Accès refusé »
// with « Retour à l’accueil » (and « Mon espace » for a partner).
test('a file under /admin refused reads as a refused /admin page', async () => {
	for (const who of ['partenaire', 'commission'] as const)
		for (const path of [
			'/admin',
			'/admin/campagnes/999999/suivi.csv',
			'/admin/campagnes/999999/suivi.xlsx'
		]) {
			const response = await clients[who].get(path, { headers: { accept: 'text/html' } });
			expect(response.status(), path).toBe(403);
			const html = await response.text();
			expect(html, path).toMatch(/<title>Accès refusé — SDUSN du Lot<\/title>/);
			expect(html, path).toMatch(/<h1[^>]*>Accès refusé<\/h1>/);
			expect(html, path).toMatch(/<a href="\/">Retour à l’accueil<\/a>/);
			expect(html, path).not.toContain('Erreur 403');
			expect(/<a href="\/espace"[^>]*>Mon espace<\/a>/.test(html), `${who} ${path}`).toBe(
				who === 'partenaire'
			);
		}
});

test('a cross-site form post is refused', async () => {
	const response = await clients.partenaire.post('/espace/fiches/9-1/suivi', {
		form: { done: 'x' },
		headers: { origin: 'https://malveillant.example' }
	});
	expect(response.status()).toBe(403);
});

test('logging out ends the session (POST /deconnexion)', async () => {
	const client = await apiAs(ACCOUNTS.commission);
	expect((await client.get('/compte', { maxRedirects: 0 })).status()).toBe(200);
	const response = await client.post('/deconnexion', { form: {}, maxRedirects: 0 });
	expect(response.status()).toBe(303);
	expect((await client.get('/compte', { maxRedirects: 0 })).status()).toBe(303);
	await client.dispose();
});

test('each partner’s kept /espace is their own, and never stored by the browser', async () => {
	for (let round = 0; round < 2; round++) {
		const own = await clients.partenaire.get('/espace');
		const other = await clients.autrePartenaire.get('/espace');
		expect(await own.text()).toContain('Mon espace — CDG46');
		expect(await other.text()).not.toContain('Mon espace — CDG46');
		expect(own.headers()['cache-control']).toBe('private, no-store');
	}
	// Anonymous: the sign-in redirect, never a partner's page.
	const anonymous = await clients.anonyme.get('/espace');
	expect(anonymous.status()).toBe(303);
});

// Hostile probe s44: a convened partner's file linked, in its breadcrumb, the séance they may not
// open (403); the séance is named there without a link for them.
test('a partner’s file of an open séance does not link the séance they cannot open', async () => {
	// A séance of its own, convened here: the matrix's convenes its own in its rows.
	const created = await clients.commission.post('/commission?/create', {
		form: { held_on: daysAfter(parisToday(), 21), place: 'Figeac', title: 'Séance du fil' },
		maxRedirects: 0
	});
	const sitting = Number(/seances\/(\d+)/.exec(created.headers().location ?? '')?.[1]);
	// Sent without script, a success leads to the page again (Post/Redirect/Get), the
	// convocation's too (its summary read again from the convocation, not from the address).
	for (const [action, form, status] of [
		['addFiches', { codes: '9-1' }, 303],
		['convene', {}, 303]
	] as const)
		expect(
			(
				await clients.commission.post(`/commission/seances/${sitting}?/${action}`, {
					form,
					maxRedirects: 0
				})
			).status()
		).toBe(status);
	const path = `/commission/seances/${sitting}/fiches/9-1`;
	const link = `href="/commission/seances/${sitting}"`;
	const partner = await clients.partenaire.get(path);
	expect(partner.status()).toBe(200);
	const html = await partner.text();
	expect(html).toContain('Séance du ');
	expect(html).not.toContain(link);
	expect(await (await clients.admin.get(path)).text()).toContain(link);
});

// Review s59: 403 for a séance in preparation, 404 for a number of none told a partner which existed.
test('a partner reads the same answer for a séance not yet published and for one that does not exist', async () => {
	const answers = [];
	for (const path of [
		`/commission/seances/${openSitting}`,
		'/commission/seances/999999',
		`/commission/seances/${openSitting}/fiches/1-1`,
		'/commission/seances/999999/fiches/1-1'
	]) {
		const response = await clients.partenaire.get(path);
		const text = await response.text();
		expect(text).toContain('Cette séance n’existe pas, ou le compte connecté n’y a pas accès');
		answers.push([response.status(), /<h1[^>]*>[^<]*<\/h1>/.exec(text)?.[0]]);
	}
	expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
});

test('a member asking for the file of a fiche not on the agenda is told why there is none', async () => {
	const response = await clients.commission.get(`/commission/seances/${openSitting}/fiches/1-1`);
	expect(response.status()).toBe(404);
	expect(await response.text()).toContain(
		'La fiche 1-1 n’est pas à l’ordre du jour de cette séance'
	);
});
