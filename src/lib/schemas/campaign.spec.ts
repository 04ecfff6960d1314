import { describe, expect, it } from 'vitest';
import {
	CampaignDatesSchema,
	CampaignSchema,
	EARLIEST_REMINDER_DAYS,
	LATEST_REMINDER_DAYS,
	parseReminderDays,
	reminderDaysProblem
} from './campaign';
import { portalSources } from '../utils/source-testing';

describe('parseReminderDays', () => {
	it('reads days before and after the deadline, in order, once each', () => {
		expect(parseReminderDays('-14, -3, +1')).toEqual([-14, -3, 1]);
		expect(parseReminderDays('+1 ; −3 -14 -3')).toEqual([-14, -3, 1]);
	});

	it('refuses « 1,5 »: a French decimal, not the days 1 and 5', () => {
		expect(parseReminderDays('-14, 1,5')).toBeNull();
		expect(parseReminderDays('-14,-3')).toEqual([-14, -3]);
	});

	it('refuses days out of range, words and more than six reminders', () => {
		expect(parseReminderDays('-61')).toBeNull();
		expect(parseReminderDays('+31')).toBeNull();
		expect(parseReminderDays('demain')).toBeNull();
		expect(parseReminderDays('-7 -6 -5 -4 -3 -2 -1')).toBeNull();
	});
});

describe('what the campaign form says of a wrong value', () => {
	// Issue #14: « 60 jours avant … (de -60 à … » was typed beside EARLIEST_REMINDER_DAYS.
	it('says the reminders’ range from its bounds, never typed again', () => {
		const outside = `${EARLIEST_REMINDER_DAYS - 1}, +${LATEST_REMINDER_DAYS + 1}`;
		expect(reminderDaysProblem(outside)).toBe(
			`Un rappel tombe entre ${-EARLIEST_REMINDER_DAYS} jours avant l’échéance et ${LATEST_REMINDER_DAYS} jours après (de ${EARLIEST_REMINDER_DAYS} à +${LATEST_REMINDER_DAYS}) : ${outside} n’y sont pas.`
		);
		const typed = new RegExp(
			`\\b${-EARLIEST_REMINDER_DAYS} jours avant l’échéance|de ${EARLIEST_REMINDER_DAYS} à`
		);
		expect(
			portalSources('src').flatMap(({ path, text }) => (typed.test(text) ? [path] : []))
		).toEqual([]);
	});

	it('says how many reminders are too many, which day is out of range, and what « 1,5 » is', () => {
		expect(reminderDaysProblem('-7 -6 -5 -4 -3 -2 -1')).toBe(
			'7 rappels : 6 au plus. Gardez les plus utiles (par exemple -14, -3, +1).'
		);
		expect(reminderDaysProblem('-90, -3, +45')).toBe(
			'Un rappel tombe entre 60 jours avant l’échéance et 30 jours après (de -60 à +30) : -90, +45 n’y sont pas.'
		);
		expect(reminderDaysProblem('-14, 1,5')).toMatch(/^« 1,5 » se lit comme un nombre décimal/);
		expect(reminderDaysProblem('demain')).toMatch(/^Indiquez les rappels en jours entiers/);
		expect(reminderDaysProblem('-14, -3, +1')).toBeNull();
	});

	it('names a reminder missing between two commas instead of dropping the slot', () => {
		expect(reminderDaysProblem('-14,,+1')).toBe(
			'Un rappel manque entre deux virgules, après « -14 » : ajoutez-le, ou retirez la virgule en trop (par exemple -14, -3, +1).'
		);
		expect(reminderDaysProblem('-30 -14, , +1')).toMatch(
			/^Un rappel manque entre deux virgules, après « -14 »/
		);
		expect(reminderDaysProblem(',,+1')).toMatch(/^Un rappel manque entre deux virgules, au début/);
		expect(parseReminderDays('-14,,+1')).toBeNull();
		// A comma left at the end hides no reminder.
		expect(parseReminderDays('-14, -3,')).toEqual([-14, -3]);
	});

	// Review s58: « Indiquez l’échéance (jour, mois, année) » answered a deadline typed as well as one
	// left empty (a browser without a calendar sends what was typed).
	it('tells a deadline left empty from one not read', () => {
		const deadlineError = (deadline: string) =>
			CampaignDatesSchema.safeParse({
				deadline,
				reminders: '-3',
				shownDeadline: '2026-04-01',
				shownReminders: '-3',
				notify: ''
			}).error?.issues.map((i) => i.message);
		expect(deadlineError('')).toEqual(['Indiquez l’échéance.']);
		expect(deadlineError('31/03/2026')).toEqual([
			'L’échéance n’a pas pu être lue comme un jour du calendrier : choisissez-la dans le calendrier du champ ou, sans calendrier, écrivez l’année, le mois puis le jour (2026-12-07 pour le 7\u00a0décembre\u00a02026).'
		]);
		expect(deadlineError('2026-03-31')).toBeUndefined();
	});

	it('tells a title too short from a missing one', () => {
		const titleError = (title: string) => {
			const result = CampaignSchema.safeParse({
				title,
				deadline: '2026-04-01',
				scope: 'all',
				axis: '',
				priority: '',
				organisation: '',
				sitting: '',
				reminders: '-3'
			});
			return result.success ? null : result.error.issues.map((i) => i.message);
		};
		expect(titleError('  ')).toEqual([
			'Donnez un titre à la campagne (par exemple « Bilan 2026 »).'
		]);
		expect(titleError('B')).toEqual(['Le titre compte au moins 3 caractères.']);
		expect(titleError('x'.repeat(121))).toEqual([
			'Le titre : 120 caractères au plus (121 saisis, 1 de trop).'
		]);
		expect(titleError('Bilan 2026')).toBeNull();
		// Review h46: counted in UTF-16 units, 61 emoji were « too long » and one was enough.
		expect(titleError('🎉')).toEqual(['Le titre compte au moins 3 caractères.']);
		expect(titleError('🎉'.repeat(61))).toBeNull();
		expect(titleError('Bilan\r\n2026')).toEqual([
			'Le titre tient sur une ligne : retirez ses retours à la ligne.'
		]);
	});
});
