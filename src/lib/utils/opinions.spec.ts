import { describe, expect, it } from 'vitest';
import { decisionLabel } from './opinions';

describe('decisionLabel', () => {
	it('writes a priority change from the old priority to the new one, as the web does', () => {
		expect(
			decisionLabel({ kind: 'priority', opinion: null, previousPriority: 2, newPriority: 1 })
		).toBe('Priorité 2 → 1');
	});
	it('names an opinion, and keeps snapshots without the old priority readable', () => {
		expect(decisionLabel({ kind: 'opinion', opinion: 'favorable', newPriority: null })).toBe(
			'Avis favorable'
		);
		expect(decisionLabel({ kind: 'priority', opinion: null, newPriority: 1 })).toBe('Priorité → 1');
	});
});
