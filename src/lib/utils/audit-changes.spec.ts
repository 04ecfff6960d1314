import { describe, expect, it } from 'vitest';
import { auditChanges, journaledOrganisationIds, namesField } from './audit-changes';
import type { CampaignInput } from '$lib/server/campaigns/opening';
import type { CampaignDates } from '$lib/server/campaigns/repository';
import type { SittingFacts } from '$lib/server/db/schema';
import type { DecisionInput } from '$lib/server/commission/service';

describe('auditChanges', () => {
	it('names a campaign’s and an attendee’s fields in French, and its scope apart from decisions', () => {
		expect(
			auditChanges(
				null,
				JSON.stringify({
					deadline: '2027-01-30',
					scope: { kind: 'priority', priority: 1 },
					reminderDays: [-3, 1]
				})
			)
		).toEqual([
			{ field: 'échéance', before: null, after: '30\u00a0janvier\u00a02027' },
			{ field: 'fiches concernées — type', before: null, after: 'celles d’une priorité' },
			{ field: 'fiches concernées — priorité', before: null, after: '1' },
			{ field: 'rappels', before: null, after: 'J-3, J+1' }
		]);
		expect(auditChanges(null, JSON.stringify({ guestName: 'Marie Curie' }))).toEqual([
			{ field: 'invité', before: null, after: 'Marie Curie' }
		]);
	});

	// Walkthrough s45: « rappels : -14, -3, +1 » and « jours des rappels : -14, -3, 1 » on one row,
	// and « heure de la séance : 14:30 ». Staff review s63: the days unsigned, not as the campaign
	// page writes them (« J-14, J-3, J+1 »).
	it('shows a campaign’s reminders once, as its page writes them, and a séance’s hour too', () => {
		const opened = auditChanges(
			null,
			JSON.stringify({ reminders: '-14, -3, +1', reminderDays: [-14, -3, 1] })
		);
		expect(opened).toEqual([{ field: 'rappels', before: null, after: 'J-14, J-3, J+1' }]);
		expect(
			auditChanges(
				JSON.stringify({ deadline: '2027-01-30', reminderDays: [-14, -3, 1] }),
				JSON.stringify({ deadline: '2027-01-30', reminderDays: [-7, 0], notify: false })
			)
		).toEqual([
			{ field: 'rappels', before: 'J-14, J-3, J+1', after: 'J-7, J0' },
			{ field: 'prévenir les organisations', before: null, after: 'non' }
		]);
		expect(
			auditChanges(JSON.stringify({ startsAt: '09:00' }), JSON.stringify({ startsAt: '14:30' }))
		).toEqual([{ field: 'heure de la séance', before: '9\u00a0h', after: '14\u00a0h\u00a030' }]);
	});

	it('names the organisation a campaign is aimed at, read for the page like an account’s', () => {
		const after = JSON.stringify({ scope: { kind: 'organisation', organisationId: 7 } });
		expect(journaledOrganisationIds([{ before: null, after }])).toEqual([7]);
		expect(auditChanges(null, after, { organisationNames: { 7: 'Lot numérique' } })).toContainEqual(
			{ field: 'fiches concernées — organisation', before: null, after: 'Lot numérique' }
		);
	});

	it('names the plan’s fields in French, and a plan import element by element', () => {
		// As a validation, a structure form, a fiche form and an import journal them.
		expect(
			auditChanges(
				JSON.stringify({ fiche: { lastUpdate: null }, label: 'A', synthesis_label: null }),
				JSON.stringify({
					fiche: { lastUpdate: '2026-12-04' },
					label: 'B',
					synthesis_label: 'Synthèse B',
					objective: 4,
					links: '2-1, 3-1',
					context: 'Un contexte'
				})
			).map((c) => c.field)
		).toEqual([
			'fiche — dernière mise à jour',
			'intitulé',
			'intitulé de synthèse',
			'objectif',
			'fiches liées',
			'contexte'
		]);
		expect(
			auditChanges(
				null,
				JSON.stringify([
					{ entity: 'fiche', key: '4-2', action: 'created', fields: ['title', 'priority'] },
					{ entity: 'objective', key: '4', action: 'updated', fields: ['synthesis_label'] }
				])
			)
		).toEqual([
			{
				field: 'éléments du classeur',
				before: null,
				after:
					'fiche 4-2 : ajout (titre, priorité) ; objectif 4 : modification (intitulé de synthèse)'
			}
		]);
	});

	it('names an objective’s number and a fiche’s indicators in French', () => {
		expect(
			auditChanges(
				JSON.stringify({ 'indicator.31.label': 'Postes', 'indicator.31.unit': 'postes' }),
				JSON.stringify({
					number: 18,
					'indicator.31.label': 'Ordinateurs',
					'indicator.31.unit': 'ordinateurs',
					'indicator.new.1': 'Nombre de postes',
					'indicator.31.baseline_date': '2026-01-01'
				})
			).map((c) => c.field)
		).toEqual([
			'indicateur n° 31 : intitulé',
			'indicateur n° 31 : unité',
			'numéro',
			'indicateur ajouté (1)',
			'indicateur n° 31 : date de la valeur de départ'
		]);
	});

	it('writes one readable line per changed field, in French', () => {
		expect(
			auditChanges(
				JSON.stringify({
					state: 'submitted',
					reportedOn: '2019-03-01',
					status: 'a_lancer',
					progress: null
				}),
				JSON.stringify({
					state: 'validated',
					reportedOn: '2019-03-01',
					status: 'en_cours',
					progress: 40
				})
			)
		).toEqual([
			{
				field: 'état',
				before: 'soumise, en attente de validation',
				after: 'validée et publiée'
			},
			{ field: 'statut', before: 'À lancer', after: 'En cours' },
			{ field: 'avancement', before: '—', after: '40\u202f%' }
		]);
	});

	it('says what a partner asked for and what kind of decision was recorded, in French', () => {
		expect(auditChanges(null, JSON.stringify({ intent: 'submit', version: 2 }))).toEqual([
			{ field: 'demande', before: null, after: 'soumettre à Lot numérique' },
			{ field: 'version', before: null, after: '2' }
		]);
		expect(auditChanges(null, JSON.stringify({ kind: 'free', text: 'Point divers' }))).toEqual([
			{ field: 'type', before: null, after: 'décision libre' },
			{ field: 'texte', before: null, after: 'Point divers' }
		]);
	});

	it('names nested fields and keeps a one-sided record', () => {
		expect(auditChanges(null, JSON.stringify({ role: 'commission', disabled: false }))).toEqual([
			{ field: 'rôle', before: null, after: 'Membre de la commission des usages numériques' },
			{ field: 'désactivé', before: null, after: 'non' }
		]);
		expect(
			auditChanges(
				JSON.stringify({ fiche: { priority: 2 } }),
				JSON.stringify({ fiche: { priority: 1 } })
			)
		).toEqual([{ field: 'fiche — priorité', before: '2', after: '1' }]);
	});

	it('names the mail preferences a save kept as stored, in French', () => {
		const before = { reminders: true, validations: true, commission: false };
		const after = { ...before, validations: false, kept: ['reminders', 'commission'] };
		expect(auditChanges(JSON.stringify(before), JSON.stringify(after))).toEqual([
			{ field: 'validations', before: 'oui', after: 'non' },
			{
				field: 'gardées telles quelles (changées ailleurs entre-temps)',
				before: null,
				after: 'rappels, commission'
			}
		]);
	});

	/**
	 * Every field name a journal row's « avant » or « après » holds, by the services that write them
	 * (recordAudit): the journal shows each under a French name, never the code's (`notify` was
	 * shown as is). The spread inputs are typed: a field added to one fails here until it is named.
	 */
	const campaignOpened: Record<keyof CampaignInput | 'reminderDays' | 'fiches', true> = {
		title: true,
		deadline: true,
		scope: true,
		sittingId: true,
		reminders: true,
		reminderDays: true,
		fiches: true
	};
	const datesChanged: Record<keyof CampaignDates | 'notify', true> = {
		deadline: true,
		reminderDays: true,
		notify: true
	};
	const sitting: Record<keyof SittingFacts | 'state', true> = {
		heldOn: true,
		startsAt: true,
		place: true,
		title: true,
		state: true
	};
	const decision: Record<keyof DecisionInput | 'newPriority' | 'opinion', true> = {
		kind: true,
		newPriority: true,
		opinion: true,
		text: true
	};
	const JOURNALED_FIELDS = [
		...Object.keys(campaignOpened),
		...Object.keys(datesChanged),
		...Object.keys(sitting),
		...Object.keys(decision),
		// A campaign's scope (`scope.kind`…).
		...['kind', 'axisId', 'priority', 'organisationId'],
		// Accounts: creation, role, deactivation, sessions ended.
		...['email', 'name', 'role', 'organisationId', 'disabled', 'count'],
		// The séance's agenda, attendees and priorities.
		...['fiche', 'title', 'userId', 'guestName', 'priority'],
		// Progress updates: saves, withdrawal, discard, review, a fiche's status.
		...['state', 'version', 'intent', 'reportedOn', 'status', 'progress', 'measurements'],
		...['fiche', 'lastUpdate', 'replacedMeasurements'],
		...['indicatorId', 'measuredOn', 'value', 'updateId'],
		// Mail preferences.
		...['reminders', 'validations', 'commission', 'kept'],
		// The journal's own purge.
		...['events', 'tallies'],
		// The plan's authoring and a fiche's creation (the database's names and the form's).
		...['code', 'objective', 'status']
	];

	it('names every field a journal row can hold in French', () => {
		expect(JOURNALED_FIELDS.filter((key) => !namesField(key))).toEqual([]);
	});
});
