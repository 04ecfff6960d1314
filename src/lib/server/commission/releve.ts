import { error } from '@sveltejs/kit';
import { formatDate, formatSittingDay } from '../../utils/format';
import {
	capitalized,
	DECISION_KIND_LABELS,
	opinionLabel,
	todaysCodeWords
} from '../../utils/vocabulary';
import type { Executor } from '../db';
import { protectFormula } from '../csv';
import { isoDateCell, type Sheet } from '../spreadsheet';
import { decisionType } from '../opendata/decision-type';
import { findSitting, type SittingRecord } from './repository';

/** The closed sitting named by the URL; before it is closed there is no record to publish (404). */
export async function closedSittingRecord(db: Executor, id: number): Promise<SittingRecord> {
	const sitting = await findSitting(db, id);
	if (!sitting || sitting.state !== 'closed')
		error(404, 'Aucun relevé de décisions publié pour cette séance.');
	return sitting;
}

/**
 * A relevé's download name: `releve-decisions-2026-12-07.csv`, with the séance's hour when it had
 * one (`releve-decisions-2026-12-07-0930.csv`): two séances of a day, two names.
 */
export function releveFileName(sitting: Pick<SittingRecord, 'heldOn' | 'startsAt'>, ext: string) {
	const hour = sitting.startsAt ? `-${sitting.startsAt.replace(':', '')}` : '';
	return `releve-decisions-${sitting.heldOn}${hour}.${ext}`;
}

/**
 * The record of decisions of a closed sitting, one row per decision, in machine form (CSV): the
 * decision's `type` in the open data's codes (`priorite`, `avis_favorable`…, `libre`: decisionType,
 * which decisions.csv writes too), the opinion being one of them; who recorded each decision, as
 * the séance's page says it.
 */
export function releveRows(sitting: SittingRecord): string[][] {
	return sitting.items.flatMap((item) =>
		item.decisions.map((d) => [
			sitting.heldOn,
			item.fiche?.code ?? '',
			protectFormula(item.fiche?.title ?? item.title ?? ''),
			decisionType(d),
			d.previousPriority === null ? '' : String(d.previousPriority),
			d.newPriority === null ? '' : String(d.newPriority),
			protectFormula(d.text),
			protectFormula(d.recordedBy ?? '')
		])
	);
}

export const RELEVE_COLUMNS = [
	'date_seance',
	'fiche',
	'intitule',
	'type',
	'priorite_avant',
	'priorite_apres',
	'texte',
	'saisie_par'
];

/** A fiche as the séance's page names it: its code then, and today's when it moved since. */
function codeThenAndToday(fiche: { code: string; codeThen: string | null }): string {
	const then = fiche.codeThen ?? fiche.code;
	return `${then}${todaysCodeWords(then, fiche.code)}`;
}

/** Who attended, as the relevé's page lists them. */
function attendeesText(sitting: SittingRecord): string {
	if (sitting.attendees.length === 0) return 'présents non enregistrés';
	const names = sitting.attendees.map((a) => (a.guest ? `${a.name} (sur invitation)` : a.name));
	return `présents : ${names.join(', ')}`;
}

/**
 * The same record for people (`.xlsx`): French headers, the kind of each decision (as the séance's
 * form names it: « Décision libre ») and the opinion apart; the note above the table says where the séance was held and who attended.
 */
export function releveSheet(sitting: SittingRecord): Sheet {
	return {
		title: `Relevé du ${formatDate(sitting.heldOn)}`,
		note: `Relevé de décisions de la commission des usages numériques — séance du ${formatSittingDay(sitting)}, ${sitting.place} ; ${attendeesText(sitting)}`,
		headers: [
			'Date de la séance',
			'Fiche',
			'Intitulé',
			'Type de décision',
			'Avis',
			'Priorité avant',
			'Priorité après',
			'Texte',
			'Saisie par'
		],
		rows: sitting.items.flatMap((item) =>
			item.decisions.map((d) => [
				isoDateCell(sitting.heldOn),
				item.fiche ? codeThenAndToday(item.fiche) : '',
				item.fiche?.title ?? item.title ?? '',
				capitalized(DECISION_KIND_LABELS[d.kind]),
				opinionLabel(d.opinion),
				d.previousPriority,
				d.newPriority,
				d.text,
				d.recordedBy ?? ''
			])
		)
	};
}
