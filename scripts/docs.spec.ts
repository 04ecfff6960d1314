import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const documents = [
	'README.md',
	...readdirSync(new URL('../docs', import.meta.url))
		.filter((f) => f.endsWith('.md'))
		.map((f) => `docs/${f}`)
];

describe('documentation', () => {
	it('cites the source register by name, date and deliberation, never a file outside the repository', () => {
		for (const path of documents) expect(read(path), path).not.toMatch(/shared\/seeds/);
		expect(read('docs/data-notes.md')).toMatch(
			/registre des\s+délibérations du syndicat mixte Lot numérique, séance du comité syndical du 1er février 2019/
		);
	});

	it('says commission members run the sittings', () => {
		const row = read('README.md')
			.split('\n')
			.find((line) => line.startsWith('| `commission`'));
		expect(row).toMatch(/tenir les séances/);
		expect(row).not.toMatch(/autre chantier/);
	});
});
