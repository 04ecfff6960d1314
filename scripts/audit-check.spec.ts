import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { advisoriesOf, unexplained } from './audit-check.js';

const exceptions = JSON.parse(
	readFileSync(new URL('../.ci/audit-exceptions.json', import.meta.url), 'utf8')
) as { id: string; why: string }[];

const report = (ids: string[]) => ({
	vulnerabilities: {
		cookie: {
			via: [
				...ids.map((id) => ({
					name: 'cookie',
					title: 'un avis',
					url: `https://github.com/advisories/${id}`
				})),
				'cookie'
			]
		}
	}
});

describe('npm audit in CI', () => {
	it('passes on the advisories documented as unreachable, only', () => {
		expect(unexplained(advisoriesOf(report(['GHSA-pxg6-pf52-xh8x'])), exceptions)).toEqual([]);
		expect(
			unexplained(advisoriesOf(report(['GHSA-pxg6-pf52-xh8x', 'GHSA-aaaa-bbbb-cccc'])), exceptions)
		).toEqual([{ id: 'GHSA-aaaa-bbbb-cccc', package: 'cookie', title: 'un avis' }]);
	});

	it('documents every exception, in docs/operations.md too', () => {
		const operations = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8');
		for (const exception of exceptions) {
			expect(exception.why.length).toBeGreaterThan(40);
			expect(operations).toContain(exception.id);
		}
	});
});
