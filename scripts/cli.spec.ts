import { readFileSync, readlinkSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { scratchDir } from '../src/lib/server/db/testing';
import {
	outputPath,
	parseOptions,
	runCommand,
	unexpectedErrorReport,
	UsageError,
	writeNewFile
} from './cli';

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

// Review s45, ops: an unexpected failure printed an English stack trace before the French line.
describe('an unexpected error', () => {
	const error = new SQLite.SqliteError('disk I/O error', 'SQLITE_IOERR');

	it('is one French line naming its message, without its stack', () => {
		for (const level of [undefined, '', 'info'])
			expect(unexpectedErrorReport(error, level)).toBe(
				'Erreur : disk I/O error (SqliteError, SQLITE_IOERR). La commande a échoué à cause d’une erreur inattendue : relancez-la avec LOG_LEVEL=debug pour le détail.'
			);
		expect(unexpectedErrorReport('pas une Error', undefined)).toMatch(
			/^Erreur : pas une Error\. La commande a échoué/
		);
	});

	it('ends a command with that line alone on stderr, and status 1', async () => {
		const written: string[] = [];
		const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
			written.push(String(chunk));
			return true;
		});
		const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
		vi.stubEnv('LOG_LEVEL', '');
		try {
			runCommand(() => Promise.reject(error));
			await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1));
		} finally {
			write.mockRestore();
			exit.mockRestore();
			vi.unstubAllEnvs();
		}
		expect(written).toEqual([`${unexpectedErrorReport(error, undefined)}\n`]);
	});

	it('comes after its stack with LOG_LEVEL=debug', () => {
		const report = unexpectedErrorReport(error, 'debug');
		expect(report.startsWith(error.stack!)).toBe(true);
		expect(report.split('\n').at(-1)).toMatch(
			/^Erreur : disk I\/O error .*\(détail ci-dessus\)\.$/
		);
	});
});

// Hostile probe s56: `npm run report -- --out bilan.pdf` printed over a file already there, and
// through a symbolic link (bilan.pdf → victim.txt) into the file it led to.
describe('a file an --out option names', () => {
	const there = (path: string) =>
		new UsageError(
			`Le fichier « ${path} » existe déjà : choisissez un autre nom ou supprimez-le d’abord (option --out).`
		);

	it('is refused when it is there already: a file, a link, a link to nothing', () => {
		const dir = scratchDir('sortie');
		const kept = join(dir, 'bilan.pdf');
		writeFileSync(kept, 'gardé');
		const link = join(dir, 'lien.pdf');
		symlinkSync(join(dir, 'victime.txt'), link);
		expect(() => outputPath(kept)).toThrow(there(kept));
		expect(() => outputPath(link)).toThrow(there(link));
		writeFileSync(join(dir, 'victime.txt'), 'à garder');
		expect(() => outputPath(link)).toThrow(there(link));
		expect(outputPath(join(dir, 'nouveau.pdf'))).toBe(join(dir, 'nouveau.pdf'));
	});

	it('is written only when this command creates it: a link put there since is not followed', () => {
		const dir = scratchDir('sortie-course');
		const file = outputPath(join(dir, 'bilan.pdf'));
		const victim = join(dir, 'victime.txt');
		writeFileSync(victim, 'à garder');
		symlinkSync(victim, file);
		expect(() => writeNewFile(file, 'imprimé')).toThrow(there(file));
		expect(readFileSync(victim, 'utf8')).toBe('à garder');
		expect(readlinkSync(file)).toBe(victim);
		unlinkSync(file);
		writeNewFile(file, 'imprimé');
		expect(readFileSync(file, 'utf8')).toBe('imprimé');
	});
});
