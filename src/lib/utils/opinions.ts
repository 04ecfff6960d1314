export const OPINION_LABELS = {
	favorable: 'Avis favorable',
	reserve: 'Avis réservé',
	defavorable: 'Avis défavorable',
	prise_acte: 'Prise d’acte'
} as const;
