import { describe, expect, it } from 'vitest';
import { csvFiles, csvLine, toCsv, type CsvValue } from './csv';

const decoder = new TextDecoder('utf-8', { fatal: true });

describe('csvFiles', () => {
	const header = ['indicateur', 'libellé', 'date', 'valeur'];
	const rows: CsvValue[][] = [
		['1-1-1', 'Communes équipées', '2019-03-01', 12],
		['1-1-1', 'Communes équipées', '2020-01-15', 14.5],
		['2-3-1', 'Taux « dématérialisé », en %', '2019-12-31', null],
		['2-3-1', 'Dit "oui"\nou non 🙂', '2020-06-30', 'oui'],
		['9-9-1', '=SOMME(A1)', '2020-07-01', 0]
	];
	const free = [false, true, false, false];
	const yearOf = (row: CsvValue[]) => String(row[2]).slice(0, 4);

	it('writes each file as toCsv would write its rows, accents, quotes and emoji included', () => {
		const files = csvFiles(
			header,
			['tout', '2019', '2020', '2021'],
			rows,
			(row) => csvLine(row, free),
			(row) => ['tout', yearOf(row)]
		);
		expect([...files.keys()]).toEqual(['tout', '2019', '2020', '2021']);
		expect(decoder.decode(files.get('tout'))).toBe(toCsv(header, free, rows));
		for (const year of ['2019', '2020', '2021'])
			expect(decoder.decode(files.get(year)), year).toBe(
				toCsv(
					header,
					free,
					rows.filter((row) => yearOf(row) === year)
				)
			);
		// A file that no row names holds its header alone, and every file is exactly its size.
		expect(decoder.decode(files.get('2021'))).toBe('indicateur,libellé,date,valeur\n');
		for (const bytes of files.values()) expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
	});
});
