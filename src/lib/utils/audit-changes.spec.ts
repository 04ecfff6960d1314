import { describe, expect, it } from 'vitest';
import { auditChanges } from './audit-changes';

describe('auditChanges', () => {
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
});
