import * as devalue from 'devalue';
import { describe, expect, it } from 'vitest';
import { transport } from '../../hooks';
import { isRenderedOnly, renderedOnly } from './rendered-only';

/** SvelteKit's replacer for page data (data_serializer.js): the first transport that encodes wins. */
const replacer = (thing: unknown) => {
	for (const [key, { encode }] of Object.entries(transport)) {
		const encoded = encode(thing);
		if (encoded) return `app.decode('${key}', ${devalue.uneval(encoded)})`;
	}
};

describe('renderedOnly', () => {
	const data = { fiches: [{ code: '14-1', title: 'Tiers-lieux' }], count: 1 };

	it('marks the data of an HTML request, values unchanged, and the serialiser does not walk it', () => {
		const marked = renderedOnly({ isDataRequest: false }, data);
		expect(isRenderedOnly(marked)).toBe(true);
		expect(marked).not.toBe(data);
		expect(marked.fiches).toBe(data.fiches);
		expect(marked.count).toBe(1);
		expect({ ...marked }.fiches).toBe(data.fiches);
		expect(Object.getPrototypeOf(marked)).toBe(Object.prototype);
		const script = devalue.uneval({ type: 'data', data: marked }, replacer);
		expect(script).toBe(`{type:"data",data:app.decode('RenderedOnly', 1)}`);
		expect(script).not.toContain('Tiers-lieux');
	});

	it('leaves a data request (client navigation) unmarked and serialised in full', () => {
		const plain = renderedOnly({ isDataRequest: true }, data);
		expect(plain).toBe(data);
		expect(isRenderedOnly(plain)).toBe(false);
		expect(devalue.uneval({ type: 'data', data: plain }, replacer)).toContain('Tiers-lieux');
	});
});
