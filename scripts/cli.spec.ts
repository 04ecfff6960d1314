import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from './cli';

describe('command-line options', () => {
	const parse = (argv: string[]) => parseOptions(argv, ['out', 'year'], 'Usage : test');

	it('reads --name value and --name=value', () => {
		expect([...parse(['--out', 'a.xlsx', '--year=2018'])]).toEqual([
			['out', 'a.xlsx'],
			['year', '2018']
		]);
	});

	it('refuses an option without a value, written either way, and an option given twice', () => {
		for (const argv of [['--out'], ['--out=']])
			expect(() => parse(argv), argv.join(' ')).toThrow(
				new UsageError('L’option --out attend une valeur.')
			);
		expect(() => parse(['--year=2018', '--year', '2019'])).toThrow(
			'L’option --year est donnée deux fois : gardez-en une.'
		);
	});
});
