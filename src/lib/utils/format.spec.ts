import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	formatBytes,
	formatClock,
	formatDate,
	reminderSchedule,
	formatDateTime,
	formatDuration,
	formatMoment,
	formatMomentToSecond,
	formatNumber,
	formatNumberInput,
	formatPercent,
	formatQuantity,
	formatQuarter,
	formatShortDate,
	formatSittingMoment,
	formatWait,
	listInWords
} from './format';
import { portalSources } from './source-testing';

describe('French formats', () => {
	it('writes numbers the French way: narrow no-break space between thousands, decimal comma', () => {
		expect(formatNumber(1234567.891)).toBe('1\u202f234\u202f567,89');
		expect(formatNumber(-0.5)).toBe('-0,5');
		expect(formatNumber(12)).toBe('12');
	});

	it('puts a narrow no-break space before « % », and says when there is no value', () => {
		expect(formatPercent(42.5)).toBe('42,5\u202f%');
		expect(formatPercent(100)).toBe('100\u202f%');
		expect(formatPercent(0)).toBe('0\u202f%');
		expect(formatPercent(null)).toBe('non évalué');
		expect(formatPercent(null, 'non renseigné')).toBe('non renseigné');
	});

	it('writes a moment in words, in Paris time (summer and winter), at midnight too', () => {
		expect(formatMoment(Date.parse('2026-03-02T09:30:00Z'))).toBe(
			'2\u00a0mars\u00a02026 à 10\u00a0h\u00a030'
		);
		expect(formatMoment('2026-07-14T22:00:00Z')).toBe('15\u00a0juillet\u00a02026 à 0\u00a0h');
		expect(formatMoment('2026-11-30T23:05:00Z')).toBe(
			'1er\u00a0décembre\u00a02026 à 0\u00a0h\u00a005'
		);
	});

	it('writes a moment to the second in words, in Paris time, at midnight too', () => {
		expect(formatMomentToSecond('2026-12-06T13:05:08.400Z')).toBe(
			'6\u00a0décembre\u00a02026 à 14\u00a0h\u00a005\u00a0min\u00a008\u00a0s'
		);
		expect(formatMomentToSecond(Date.parse('2026-07-14T22:00:00Z'))).toBe(
			'15\u00a0juillet\u00a02026 à 0\u00a0h\u00a000\u00a0min\u00a000\u00a0s'
		);
	});

	it('writes a séance’s time of day the French way, and its moment with or without it', () => {
		expect(formatClock('14:30')).toBe('14\u00a0h\u00a030');
		expect(formatClock('09:00')).toBe('9\u00a0h');
		expect(formatSittingMoment({ heldOn: '2026-03-01', startsAt: '09:05' })).toBe(
			'le 1er\u00a0mars\u00a02026 à 9\u00a0h\u00a005'
		);
		expect(formatSittingMoment({ heldOn: '2026-03-01', startsAt: null })).toBe(
			'le 1er\u00a0mars\u00a02026'
		);
	});

	it('writes dates long, short, and moments in Paris', () => {
		expect(formatDate('2018-07-19')).toBe('19\u00a0juillet\u00a02018');
		expect(formatDate('2019-02-01')).toBe('1er\u00a0février\u00a02019');
		expect(formatDate('2026-11-30T23:30:00.000Z')).toBe('1er\u00a0décembre\u00a02026');
		expect(formatShortDate('2019-12-31')).toBe('31/12/2019');
		expect(formatDateTime('2026-07-14T08:05:09.000Z')).toBe('14/07/2026 10:05:09');
	});

	it('writes a quarter in words in tables, short under a chart, and leaves other text alone', () => {
		expect(formatQuarter('2018-T3')).toBe('3e trimestre 2018');
		expect(formatQuarter('2019-T1')).toBe('1er trimestre 2019');
		expect(formatQuarter('2019-T1', 'short')).toBe('T1\u00a02019');
		expect(formatQuarter('2019-T5')).toBe('2019-T5');
		expect(formatQuarter('CDG46', 'short')).toBe('CDG46');
	});

	it('writes a value with its unit, an editable number and a file size', () => {
		expect(formatQuantity(1500, 'heures')).toBe('1\u202f500\u00a0heures');
		expect(formatQuantity(3, null)).toBe('3');
		// Three decimals read two ways once typed (« 1,000 »): a fourth, zero, keeps one reading.
		expect(formatNumberInput(2.755)).toBe('2,7550');
		expect(formatNumberInput(0.125)).toBe('0,125');
		expect(formatNumberInput(1234.125)).toBe('1234,125');
		expect(formatNumberInput(1500)).toBe('1500');
		// What the fiche's form and the workbook's change list wrote by hand: the same text.
		expect(formatNumberInput(1234567.5)).toBe('1234567,5');
		expect(formatNumberInput(-0)).toBe('0');
		expect(formatNumberInput(1e-7)).toBe('1e-7');
		expect(formatBytes(512)).toBe('512\u00a0octets');
		// Decimal units, as French uses Ko and Mo: the ten-year mesures.csv and its package.
		expect(formatBytes(999)).toBe('999\u00a0octets');
		expect(formatBytes(1000)).toBe('1\u00a0Ko');
		expect(formatBytes(25_907)).toBe('25,9\u00a0Ko');
		expect(formatBytes(35_169)).toBe('35,2\u00a0Ko');
		expect(formatBytes(999_960)).toBe('1\u00a0Mo');
		expect(formatBytes(8_279_282)).toBe('8,3\u00a0Mo');
		expect(formatBytes(8_703_180)).toBe('8,7\u00a0Mo');
	});

	it('says how long to wait, rounded up, the number held to its unit', () => {
		expect(formatWait(1)).toBe('1\u00a0seconde');
		expect(formatWait(44_200)).toBe('45\u00a0secondes');
		expect(formatWait(60_000)).toBe('1\u00a0minute');
		expect(formatWait(61_000)).toBe('2\u00a0minutes');
	});

	it('says a set length of time in the largest unit that counts it whole', () => {
		expect(formatDuration(30 * 60_000)).toBe('30\u00a0minutes');
		expect(formatDuration(7 * 86_400_000)).toBe('7\u00a0jours');
		expect(formatDuration(365 * 86_400_000)).toBe('1\u00a0an');
		expect(formatDuration(366 * 86_400_000)).toBe('366\u00a0jours');
		expect(formatDuration(3_600_000)).toBe('1\u00a0heure');
		expect(formatDuration(90 * 60_000)).toBe('90\u00a0minutes');
		expect(formatDuration(36 * 3_600_000)).toBe('36\u00a0heures');
		expect(formatDuration(30_000)).toBe('30\u00a0secondes');
		expect(formatDuration(1500)).toBe('1,5\u00a0seconde');
	});
});

// Review s44 (staff): a campaign opened with the field cleared read « rappels à . ».
describe('reminderSchedule', () => {
	it('says « aucun rappel » for none, and agrees with the count', () => {
		expect(reminderSchedule([])).toBe('aucun rappel');
		expect(reminderSchedule([1])).toBe('rappel à J+1');
		expect(reminderSchedule([-14, -3, 1])).toBe('rappels à J-14, J-3, J+1');
	});
});

describe('a number for editing', () => {
	// Review h46: the fiche's form, the plan's change list and the workbook each wrote
	// formatNumberInput again.
	it('is written by formatNumberInput alone', () => {
		const byHand = /String\([^)]*\)\)?\.replace\('\.', ','\)/g;
		const found = portalSources('src')
			.filter(({ path }) => !path.endsWith(join('utils', 'format.ts')))
			.flatMap(({ path, text }) => [...text.matchAll(byHand)].map((m) => `${path}: ${m[0]}`));
		expect(found).toEqual([]);
	});
});

describe('a list in words', () => {
	it('joins by commas and « et » before the last', () => {
		expect(listInWords([])).toBe('');
		expect(listInWords(['7-1'])).toBe('7-1');
		expect(listInWords(['7-1', '7-2'])).toBe('7-1 et 7-2');
		expect(listInWords(['7-1', '7-2', '7-3'])).toBe('7-1, 7-2 et 7-3');
	});

	// Review h48 (maintainer): the service, the convocation and the workbook each joined by hand.
	it('is written by listInWords alone', () => {
		const byHand = /\.slice\(0, -1\)\.join\(', '\)\} et /g;
		const found = portalSources('src')
			.filter(({ path }) => !path.endsWith(join('utils', 'format.ts')))
			.flatMap(({ path, text }) => [...text.matchAll(byHand)].map((m) => `${path}: ${m[0]}`));
		expect(found).toEqual([]);
	});
});
