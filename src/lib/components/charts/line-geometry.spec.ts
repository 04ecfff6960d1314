import { describe, expect, it } from 'vitest';
import { lineGeometry, roundMaximum } from './line-geometry';

describe('server-drawn line chart', () => {
	it('rounds the scale up to 1, 2, 2.5 or 5 times a power of ten', () => {
		expect([0, 0.4, 1, 3, 24, 25, 26, 80, 101, 4200].map((v) => roundMaximum(v))).toEqual([
			1, 1, 1, 5, 25, 25, 50, 100, 200, 5000
		]);
	});

	it('spreads values left to right and scales them from zero to the round maximum', () => {
		const g = lineGeometry(
			[
				{ date: '2019-01-01', value: 0 },
				{ date: '2019-07-01', value: 50 },
				{ date: '2020-01-01', value: 100 }
			],
			null
		);
		const { left, right, top, bottom } = g.plot;
		// Placed by date: 1 July is 181 days into a 365-day span.
		const july = Math.round((left + (181 / 365) * (right - left)) * 10) / 10;
		expect(g.points.map((p) => p.x)).toEqual([left, july, right]);
		expect(g.points.map((p) => p.y)).toEqual([bottom, (top + bottom) / 2, top]);
		expect(g.path).toBe(`M${left} ${bottom} L${july} ${(top + bottom) / 2} L${right} ${top}`);
		expect(g.yTicks.map((t) => t.value)).toEqual([0, 25, 50, 75, 100]);
		expect(g.target).toBeNull();
	});

	it('leaves room on the left for the widest scale label (2 500 000 keeps its first digits)', () => {
		const small = lineGeometry([{ date: '2019-06-30', value: 40 }], null);
		expect(small.plot.left).toBe(64);
		const large = lineGeometry([{ date: '2019-06-30', value: 2_500_000 }], null);
		expect(large.yTicks.at(-1)!.label).toBe('2\u202f500\u202f000');
		// Nine characters of about 8 units, drawn 8 units before the plot, from 8 units in.
		expect(large.plot.left).toBeGreaterThanOrEqual(8 + 9 * 8 + 8);
		expect(
			lineGeometry([{ date: '2019-06-30', value: 123_456_789_012.5 }], null).plot.left
		).toBeGreaterThan(large.plot.left);
	});

	it('marks a count’s scale at whole numbers only (10 communes: 0, 2, 4, 6, 8, 10)', () => {
		const ten = lineGeometry([{ date: '2019-06-30', value: 10 }], null, { whole: true });
		expect(ten.yTicks.map((t) => t.value)).toEqual([0, 2, 4, 6, 8, 10]);
		const three = lineGeometry([{ date: '2019-06-30', value: 2.3 }], null, { whole: true });
		expect(three.yTicks.map((t) => t.value)).toEqual([0, 1, 2, 3, 4, 5]);
		const yes = lineGeometry([{ date: '2019-06-30', value: 1 }], null, { whole: true });
		expect(yes.yTicks.map((t) => t.value)).toEqual([0, 1]);
		// Any number: quarters, as before.
		expect(
			lineGeometry([{ date: '2019-06-30', value: 10 }], null).yTicks.map((t) => t.value)
		).toEqual([0, 2.5, 5, 7.5, 10]);
	});

	it('keeps the target in view even above every value, and one value in the middle', () => {
		const g = lineGeometry([{ date: '2019-06-30', value: 40 }], 340);
		expect(g.yTicks.at(-1)!.value).toBe(500);
		expect(g.target!.y).toBeGreaterThan(g.plot.top);
		expect(g.target!.y).toBeLessThan(g.points[0]!.y);
		expect(g.points[0]!.x).toBe((g.plot.left + g.plot.right) / 2);
	});

	it('places measurements by their date: a month apart closer than a year apart', () => {
		const g = lineGeometry(
			[
				{ date: '2019-01-01', value: 1 },
				{ date: '2019-02-01', value: 2 },
				{ date: '2021-01-01', value: 3 }
			],
			null
		);
		const [a, b, c] = g.points.map((p) => p.x);
		expect(b! - a!).toBeLessThan((c! - b!) / 10);
		// The label of February would overlap January's: only the first and the last are written.
		expect(g.xLabels.map((l) => l.date)).toEqual(['2019-01-01', '2021-01-01']);
	});

	it('labels at most six dates, always the first and the last', () => {
		const values = Array.from({ length: 24 }, (_, i) => ({
			date: `20${String(10 + Math.floor(i / 12))}-${String((i % 12) + 1).padStart(2, '0')}-01`,
			value: i
		}));
		const labels = lineGeometry(values, null).xLabels.map((l) => l.date);
		expect(labels.length).toBeLessThanOrEqual(6);
		expect(labels[0]).toBe('2010-01-01');
		expect(labels.at(-1)).toBe('2011-12-01');
		const xs = lineGeometry(values, null).xLabels.map((l) => l.x);
		for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(90);
	});
});
