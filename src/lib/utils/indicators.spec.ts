import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indicatorField, readIndicatorField } from './indicators';
import { portalSources } from './source-testing';

describe('the name of a field of an indicator’s line in the partner’s form', () => {
	it('is read back as the indicator and the part it was built from', () => {
		for (const part of ['date', 'value', 'comment'] as const)
			expect(readIndicatorField(indicatorField(42, part))).toEqual({ id: 42, part });
		for (const other of ['done', 'indicator_42', 'indicator_x_value', 'indicator_42_value_'])
			expect(readIndicatorField(other), other).toBeNull();
	});

	// Review #14: the partner's form built and read these names with its own code beside the
	// schema's: a renamed part would have left its summary without the indicator's name.
	it('is built and read in indicators.ts alone', () => {
		const found = portalSources('src')
			.filter(({ path }) => !path.endsWith(join('utils', 'indicators.ts')))
			.flatMap(({ path, text }) =>
				[...text.matchAll(/indicator_\$\{[^}]*\}_|\^indicator_/g)].map((m) => `${path}: ${m[0]}`)
			);
		expect(found).toEqual([]);
	});
});
