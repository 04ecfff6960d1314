import { describe, expect, it } from 'vitest';
import { resourceOfPath } from '$lib/server/opendata/resources';
import { match } from '../../params/ressource';

describe('open-data file names', () => {
	it('are matched by the route exactly when the server reads them', () => {
		// Two copies of the pattern used to be kept: a resource added to one only was answered 404,
		// or never matched (review s41 #10).
		const names = [
			'plan.json',
			'datapackage.json',
			'fiches.csv',
			'mesures.csv',
			'mesures-2019.csv',
			'mises-a-jour.csv',
			'decisions.csv',
			'plan.csv',
			'mesures-19.csv',
			'autre.csv',
			'fiches.json'
		];
		expect(names.map((name) => match(name))).toEqual(
			names.map((name) => resourceOfPath(name) !== undefined)
		);
		expect(names.filter((name) => match(name))).toHaveLength(7);
	});
});
