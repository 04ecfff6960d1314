import { describe, expect, it } from 'vitest';
import type { UpdateState } from '../db/schema';
import {
	can,
	homeFor,
	NOT_THE_ORGANISATIONS_FICHE,
	partnerOffFiche,
	refusalReason,
	type Action,
	type Actor,
	type Resources
} from './permissions';

const OWN = 10;
const OTHER = 20;
const actors: Record<string, Actor | null> = {
	anonyme: null,
	'partenaire (organisation de la fiche)': { id: 1, role: 'partenaire', organisationId: OWN },
	'partenaire (autre organisation)': { id: 2, role: 'partenaire', organisationId: OTHER },
	commission: { id: 3, role: 'commission', organisationId: null },
	admin: { id: 4, role: 'admin', organisationId: null }
};
const FICHE = { ficheOrganisationIds: [OWN, 30] };
const editOf = (state: UpdateState, updateOrganisationId = OWN): Resources['update.edit'] => ({
	...FICHE,
	updateOrganisationId,
	state
});

type Case = [Action, Resources[Action] | undefined, string, boolean[]];
// Expected results in the order of `actors`: anonyme, own partner, other partner, commission, admin
const CASES: Case[] = [
	['account.own', undefined, 'son propre compte', [false, true, true, true, true]],
	['espace.enter', undefined, 'entrer dans l’espace partenaire', [false, true, true, false, false]],
	['espace.view', undefined, 'espace partenaire', [false, true, true, false, false]],
	['plan.edit', undefined, 'modifier le plan', [false, false, false, false, true]],
	[
		'plan.revisions.authors',
		undefined,
		'auteurs des modifications du plan',
		[false, false, false, false, true]
	],
	['update.create', FICHE, 'nouvelle mise à jour', [false, true, false, false, false]],
	[
		'update.create',
		{ ficheOrganisationIds: [] },
		'fiche sans porteur',
		[false, false, false, false, false]
	],
	[
		'update.edit',
		editOf('draft'),
		'brouillon de son organisation',
		[false, true, false, false, false]
	],
	['update.edit', editOf('returned'), 'mise à jour renvoyée', [false, true, false, false, false]],
	['update.edit', editOf('submitted'), 'mise à jour soumise', [false, false, false, false, false]],
	['update.edit', editOf('validated'), 'mise à jour validée', [false, false, false, false, false]],
	[
		'update.edit',
		editOf('draft', OTHER),
		'brouillon d’une autre organisation',
		[false, false, false, false, false]
	],
	[
		'update.view',
		{ ...FICHE, updateOrganisationId: OWN },
		'lire une mise à jour de son organisation',
		[false, true, false, false, false]
	],
	[
		'update.view',
		{ ...FICHE, updateOrganisationId: OTHER },
		// The other partner's own update, on a fiche its organisation no longer works on: what it
		// wrote stays readable to it (never to the fiche's partner, nor to anyone else).
		'lire une mise à jour d’une autre organisation, ou de la sienne sur une fiche qu’elle ne porte plus',
		[false, false, true, false, false]
	],
	[
		'update.withdraw',
		editOf('submitted'),
		'retirer une mise à jour soumise',
		[false, true, false, false, false]
	],
	[
		'update.withdraw',
		editOf('validated'),
		'retirer une mise à jour validée',
		[false, false, false, false, false]
	],
	[
		'update.withdraw',
		editOf('submitted', OTHER),
		'retirer la mise à jour d’une autre organisation',
		[false, false, false, false, false]
	],
	[
		'update.discard',
		{ ...editOf('draft'), sent: false },
		'supprimer un brouillon jamais soumis',
		[false, true, false, false, false]
	],
	[
		'update.discard',
		{ ...editOf('draft'), sent: true },
		'supprimer un brouillon déjà soumis puis retiré ou renvoyé',
		[false, false, false, false, false]
	],
	...(['submitted', 'returned', 'validated'] as const).map((state): Case => [
		'update.discard',
		{ ...editOf(state), sent: false },
		`supprimer une mise à jour ${state}`,
		[false, false, false, false, false]
	]),
	[
		'update.discard',
		{ ...editOf('draft', OTHER), sent: false },
		'supprimer le brouillon d’une autre organisation',
		[false, false, false, false, false]
	],
	[
		'update.discard',
		{ ficheOrganisationIds: [30], updateOrganisationId: OWN, state: 'draft', sent: false },
		'supprimer son brouillon d’une fiche que son organisation ne porte plus',
		[false, false, false, false, false]
	],
	[
		'update.review',
		{ state: 'submitted' },
		'valider une mise à jour soumise',
		[false, false, false, false, true]
	],
	[
		'update.review',
		{ state: 'draft' },
		'valider un brouillon',
		[false, false, false, false, false]
	],
	['update.review', { state: 'validated' }, 'revalider', [false, false, false, false, false]],
	['queue.view', undefined, 'file de validation', [false, false, false, false, true]],
	['commission.manage', undefined, 'séances et décisions', [false, false, false, true, true]],
	[
		'commission.sitting.view',
		{ closed: false },
		'séance en préparation ou tenue',
		[false, false, false, true, true]
	],
	[
		'commission.sitting.view',
		{ closed: true },
		'relevé d’une séance close',
		[false, true, true, true, true]
	],
	[
		'campaigns.states.all',
		undefined,
		'état de chaque organisation dans une campagne',
		[false, false, false, true, true]
	],
	[
		'health.details',
		undefined,
		'version et durée de marche (/sante)',
		[false, false, false, false, true]
	],
	[
		'commission.file.view',
		{ ...FICHE, onAgenda: true, convened: true },
		'dossier d’une fiche à l’ordre du jour',
		[false, true, false, true, true]
	],
	// Probe s43: a partner read its fiche's file on a séance still in preparation.
	[
		'commission.file.view',
		{ ...FICHE, onAgenda: true, convened: false },
		'dossier d’une fiche à l’ordre du jour d’une séance pas encore convoquée',
		[false, false, false, true, true]
	],
	[
		'commission.file.view',
		{ ...FICHE, onAgenda: false, convened: true },
		'dossier d’une fiche hors ordre du jour',
		[false, false, false, false, false]
	],
	['users.manage', undefined, 'comptes', [false, false, false, false, true]],
	['editions.manage', undefined, 'bilans annuels', [false, false, false, false, true]],
	['mail.view', undefined, 'courriels envoyés', [false, false, false, false, true]],
	['mail.retry', undefined, 'renvoyer un courriel', [false, false, false, false, true]],
	['campaigns.manage', undefined, 'campagnes de suivi', [false, false, false, false, true]],
	[
		'plan.import',
		undefined,
		'import du plan depuis un classeur',
		[false, false, false, false, true]
	],
	['audit.view', undefined, 'journal', [false, false, false, false, true]]
];

describe('can()', () => {
	for (const [action, resource, label, expected] of CASES) {
		Object.keys(actors).forEach((name, index) => {
			it(`${name} → ${action} (${label}) : ${expected[index] ? 'autorisé' : 'refusé'}`, () => {
				expect(can(actors[name]!, action, resource as never)).toBe(expected[index]);
			});
		});
	}

	it('refuses an action that needs a resource when none is given', () => {
		expect(can(actors.admin!, 'update.review')).toBe(false);
		expect(can(actors['partenaire (organisation de la fiche)']!, 'update.create')).toBe(false);
	});

	it('refuses a partner without an organisation', () => {
		expect(can({ id: 9, role: 'partenaire', organisationId: null }, 'espace.view')).toBe(false);
		// It still enters /espace, to be refused there rather than sent back to it (its home).
		expect(can({ id: 9, role: 'partenaire', organisationId: null }, 'espace.enter')).toBe(true);
	});
});

// Review h48 (maintainer): partnerOffFiche compared refusalReason's French sentence, and
// refusalReason answered a partner with a bare string but an administrator with a message and a
// link, which the progress service cut to its message.
describe('a partner off the fiche', () => {
	it('is a partner whose organisation is not in the fiche’s list', () => {
		expect(partnerOffFiche(actors['partenaire (autre organisation)']!, [OWN, 30])).toBe(true);
		expect(partnerOffFiche(actors['partenaire (organisation de la fiche)']!, [OWN, 30])).toBe(
			false
		);
		expect(partnerOffFiche(actors.admin!, [OWN, 30])).toBe(false);
		expect(partnerOffFiche(actors.commission!, [OWN, 30])).toBe(false);
		expect(partnerOffFiche({ id: 9, role: 'partenaire', organisationId: null }, [OWN])).toBe(false);
	});

	it('is told why in the same shape as an administrator is', () => {
		expect(
			refusalReason(actors['partenaire (autre organisation)']!, 'update.create', FICHE)
		).toEqual({ message: NOT_THE_ORGANISATIONS_FICHE });
		expect(refusalReason(actors.admin!, 'update.create', FICHE)?.next?.href).toBe(
			'/admin/utilisateurs'
		);
		expect(
			refusalReason(actors['partenaire (organisation de la fiche)']!, 'update.create', FICHE)
		).toBeUndefined();
	});
});

// Walkthrough s50: a commission member landed on the public home page after signing in and after
// accepting an invitation.
describe('homeFor()', () => {
	it('takes each role to its own pages: a member of the commission to its séances', () => {
		expect(homeFor('partenaire')).toBe('/espace');
		expect(homeFor('admin')).toBe('/admin');
		expect(homeFor('commission')).toBe('/commission');
		// Its page shows a member the séances being prepared (commission.manage), not only the record.
		expect(can({ id: 1, role: 'commission', organisationId: null }, 'commission.manage')).toBe(
			true
		);
	});
});
