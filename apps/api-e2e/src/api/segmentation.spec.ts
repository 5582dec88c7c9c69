import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { call, expectError, makeWorld, World, uploadCsv } from '../support/http';

/**
 * Segmentation runs end to end (#12, docs/api.md "Segmentation"): intake answers in, a run computed
 * by the worker in a thread, scenarios, assignments and profiles out. The data has three groups
 * whose answers are identical within a group, so the best k = 3 split is visible by eye:
 *   A (12 clients): privacy_veilig 5, slow_persoon 5, zelf_oplossen 1, digi_apparaten 1
 *   B (10 clients): 1, 1, 5, 5
 *   C (8 clients):  3, 5, 5, 1
 * Segments are numbered by size: A = 0, B = 1, C = 2.
 */
const ITEMS = ['privacy_veilig', 'slow_persoon', 'zelf_oplossen', 'digi_apparaten'];
const GROUPS: [string, number, number[]][] = [
  ['A', 12, [5, 5, 1, 1]],
  ['B', 10, [1, 1, 5, 5]],
  ['C', 8, [3, 5, 5, 1]],
];
const today = todayInAmsterdam();

const upload = uploadCsv;

describe('segmentation runs', () => {
  let world: World;
  let admin: string;
  const tag = randomUUID().slice(0, 6);
  const ref = (g: string, i: number) => `SEG-${tag}-${g}${i}`;
  const runs = '/api/v1/segmentation/runs';

  const waitForRun = async (id: string) => {
    for (let t = 0; t < 300; t++) {
      const r = await call('GET', `${runs}/${id}`, { token: admin });
      if (['completed', 'failed', 'cancelled'].includes(r.body.state)) return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`run ${id} did not finish`);
  };

  beforeAll(async () => {
    world = await makeWorld();
    admin = world.tokens.org_admin;
    const trajectories = [
      'client_ref,municipality,first_contact,goal_known,approach_set,iu_in_view,iu_in_balance,settlement_ready,dropout_date,dropout_reason',
    ];
    const answers = [`client_ref,answered_on,${ITEMS.join(',')}`];
    for (const [g, n, values] of GROUPS)
      for (let i = 0; i < n; i++) {
        trajectories.push(`${ref(g, i)},GM0344,${addDays(today, -60)},,,,,,,`);
        answers.push(`${ref(g, i)},${addDays(today, -59)},${values.join(',')}`);
      }
    expect((await upload('/api/v1/imports/trajectories', admin, trajectories.join('\n'))).status).toBe(200);
    expect((await upload('/api/v1/imports/intake-answers', admin, answers.join('\n'))).body).toMatchObject({
      created: 30,
    });
  });

  it('refuses bad input with a 400 naming the field, and too few clients with a plain 422', async () => {
    for (const [body, field] of [
      [{ kMin: 5, kMax: 3 }, 'kMin'],
      [{ kMax: 13 }, 'kMax'],
      [{ kMin: 1 }, 'kMin'],
      [{ kMin: 'two' }, 'kMin'],
      [{ restarts: 0 }, 'restarts'],
      [{ restarts: 51 }, 'restarts'], // at most 50 (#22)
      [{ items: ['privacy_veilig', 'no_such_item'] }, 'items'],
      [{ items: 'privacy_veilig' }, 'items'],
      [{ answeredFrom: '31-01-2025' }, 'answeredFrom'],
      [{ answeredFrom: '2025-06-01', answeredTo: '2025-01-01' }, 'answeredFrom'],
      [{ colour: 'red' }, 'colour'],
    ] as const) {
      expect([field, expectError(await call('POST', runs, { token: admin, body }), 400).details?.[0].field]).toEqual([
        field,
        field,
      ]);
    }
    // Organisation B has no intake answers at all.
    const few = expectError(await call('POST', runs, { token: world.tokens.orgBAdmin, body: {} }), 422);
    expect(few.message).toMatch(/Too few clients with intake answers in this period: 0/);
    // Nor does A in a window before the answers.
    expectError(
      await call('POST', runs, {
        token: admin,
        body: { answeredTo: addDays(today, -100) },
      }),
      422,
    );
    expectError(await call('POST', runs, { token: world.tokens.counselor, body: {} }), 403);
    expectError(await call('POST', runs, { body: {} }), 401);
  });

  it('computes the scenarios in the worker, numbers segments by size, and repeats itself exactly', async () => {
    const body = { kMin: 2, kMax: 4, restarts: 3, seed: 7, items: ITEMS };
    const started = await call('POST', runs, { token: admin, body });
    expect(started.status).toBe(202);
    const run = await waitForRun(started.body.id);
    expect(run).toMatchObject({
      state: 'completed',
      progress: 1,
      n: 30,
      excluded: 0,
      items: ITEMS,
      droppedItems: [],
    });
    expect(run.scenarios.map((s: { k: number }) => s.k)).toEqual([2, 3, 4]);
    const three = run.scenarios.find((s: { k: number }) => s.k === 3);
    // Identical answers within each group: at k = 3 nothing is left within the segments.
    expect(three.sizes).toEqual([12, 10, 8]);
    expect(three.withinSS).toBeCloseTo(0, 12);
    expect(three.silhouette).toBeCloseTo(1, 12);
    // k = 3 is best by silhouette and by Calinski-Harabasz (within-SS next to nothing).
    const best = (key: 'silhouette' | 'calinskiHarabasz') =>
      run.scenarios.reduce((x: Record<string, number>, y: Record<string, number>) =>
        (y[key] ?? Infinity) > (x[key] ?? Infinity) ? y : x,
      ).k;
    expect([best('silhouette'), best('calinskiHarabasz')]).toEqual([3, 3]);

    const assigned = await call('GET', `${runs}/${run.id}/scenarios/3/assignments`, { token: admin });
    const segmentOf = new Map(
      assigned.body.map((a: { clientRef: string; segment: number }) => [a.clientRef, a.segment]),
    );
    expect(assigned.body).toHaveLength(30);
    GROUPS.forEach(([g, n], segment) => {
      for (let i = 0; i < n; i++) expect([ref(g, i), segmentOf.get(ref(g, i))]).toEqual([ref(g, i), segment]);
    });

    // Profile, by hand for privacy_veilig: A answers 5 (agree 12/12), B 1 (0/10), C 3 (0/8).
    const profile = await call('GET', `${runs}/${run.id}/scenarios/3/profile`, {
      token: admin,
    });
    expect(profile.body.sizes).toEqual([12, 10, 8]);
    const cell = (segment: number, item: string) =>
      profile.body.rows.find((r: { segment: number; item: string }) => r.segment === segment && r.item === item);
    expect(cell(0, 'privacy_veilig')).toMatchObject({
      mean: 5,
      agreeShare: 1,
      flag: 'high',
    });
    expect(cell(1, 'privacy_veilig')).toMatchObject({
      mean: 1,
      agreeShare: 0,
      flag: 'low',
    });
    expect(cell(2, 'slow_persoon')).toMatchObject({
      mean: 5,
      agreeShare: 1,
      flag: 'high',
    });
    expect(profile.body.rows).toHaveLength(3 * ITEMS.length);

    // The same question and seed: the same answer.
    const again = await waitForRun((await call('POST', runs, { token: admin, body })).body.id);
    expect(again.scenarios).toEqual(run.scenarios);
    const list = await call('GET', runs, { token: admin });
    expect(list.body.slice(0, 2).map((r: { id: string }) => r.id)).toEqual([again.id, run.id]);
    // A finished run stays finished when cancelled.
    expect((await call('POST', `${runs}/${run.id}/cancel`, { token: admin })).body).toEqual({
      id: run.id,
      state: 'completed',
    });
  });

  it('can be cancelled while queued or running, and then stays cancelled; one run at a time per organisation (#22)', async () => {
    const started = await call('POST', runs, {
      token: admin,
      body: { kMin: 2, kMax: 12, restarts: 50, items: ITEMS },
    });
    expect(started.status).toBe(202);
    // Before: 8 runs of one organisation queued ahead of everyone else's. Now the second is refused,
    // naming the first, and nothing is queued for it.
    const queuedBefore = (await call('GET', runs, { token: admin })).body.length;
    const second = expectError(await call('POST', runs, { token: admin, body: { restarts: 50, items: ITEMS } }), 409);
    expect(second.code).toBe('run_in_progress');
    expect((second as unknown as { runId: string }).runId).toBe(started.body.id);
    expect(second.message).toContain(started.body.id);
    expect((await call('GET', runs, { token: admin })).body).toHaveLength(queuedBefore);
    expect(
      (
        await call('POST', `${runs}/${started.body.id}/cancel`, {
          token: admin,
        })
      ).body,
    ).toEqual({ id: started.body.id, state: 'cancelled' });
    await new Promise((r) => setTimeout(r, 1500));
    const after = await call('GET', `${runs}/${started.body.id}`, {
      token: admin,
    });
    expect(after.body).toMatchObject({ state: 'cancelled', scenarios: [] });
    // Once it is no longer waiting or running, the next run may start.
    const next = await call('POST', runs, { token: admin, body: { kMin: 2, kMax: 3, restarts: 1, items: ITEMS } });
    expect(next.status).toBe(202);
    await waitForRun(next.body.id);
    expectError(
      await call('GET', `${runs}/${started.body.id}/scenarios/3/profile`, {
        token: admin,
      }),
      404,
    );
  });

  it("activates a scenario: client types per segment, the run's clients typed, new intake answers typed too; transitions", async () => {
    const id = (await call('GET', runs, { token: admin })).body.find(
      (r: { state: string }) => r.state === 'completed',
    ).id;
    const path = `${runs}/${id}/scenarios/3/activate`;
    // Earlier history for A0..A2: "kwetsbare" long ago (the heat map's row).
    const oldDay = addDays(today, -200);
    expect(
      (
        await upload(
          '/api/v1/imports/assessments',
          admin,
          `client_ref,assessed_on,client_type\n${[0, 1, 2].map((i) => `${ref('A', i)},${oldDay},kwetsbare`).join('\n')}`,
        )
      ).status,
    ).toBe(200);
    for (const [body, field] of [
      [{ names: ['Een', 'Twee'] }, 'names'],
      [{ names: ['Een', 'Twee', 'Drie', 'Vier'] }, 'names'],
      [{ names: ['Kwetsbaar', 'kwetsbaar!', 'Drie'] }, 'names'],
      [{ names: ['Een', '', 'Drie'] }, 'names'],
      [{ names: ['Een', 'Twee', 'Drie'], descriptions: ['x'] }, 'descriptions'],
      [{}, 'names'],
    ] as const) {
      expect([field, expectError(await call('POST', path, { token: admin, body }), 400).details?.[0].field]).toEqual([
        field,
        field,
      ]);
    }
    expectError(
      await call('POST', `${runs}/${id}/scenarios/7/activate`, {
        token: admin,
        body: { names: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] },
      }),
      404,
    );
    expectError(
      await call('POST', path, {
        token: world.tokens.orgBAdmin,
        body: { names: ['Een', 'Twee', 'Drie'] },
      }),
      404,
    );
    const activated = await call('POST', path, {
      token: admin,
      body: {
        names: ['Zelfstandige', 'Afhankelijke', 'Kwetsbare'],
        descriptions: ['Regelt veel zelf', 'Wil een persoon spreken', ''],
      },
    });
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({
      k: 3,
      assigned: 30,
      clientTypes: [
        { segment: 0, code: 'zelfstandige' },
        { segment: 1, code: 'afhankelijke' },
        { segment: 2, code: 'kwetsbare' },
      ],
    });
    const typeOf = async (clientRef: string) =>
      (await call('GET', `/api/v1/clients?q=${encodeURIComponent(clientRef)}`, { token: admin })).body.items[0]
        .clientType?.code;
    expect([await typeOf(ref('A', 3)), await typeOf(ref('B', 0)), await typeOf(ref('C', 7))]).toEqual([
      'zelfstandige',
      'afhankelijke',
      'kwetsbare',
    ]);

    // A new client answers like group B: the model types it "afhankelijke" on the day of its answers.
    const newRef = `SEG-${tag}-NEW`;
    await upload(
      '/api/v1/imports/trajectories',
      admin,
      `client_ref,municipality,first_contact,goal_known,approach_set,iu_in_view,iu_in_balance,settlement_ready,dropout_date,dropout_reason\n${newRef},GM0344,${addDays(today, -5)},,,,,,,`,
    );
    expect(
      (
        await upload(
          '/api/v1/imports/intake-answers',
          admin,
          `client_ref,answered_on,${ITEMS.join(',')}\n${newRef},${addDays(today, -4)},2,1,5,`,
        )
      ).status,
    ).toBe(200);
    expect(await typeOf(newRef)).toBe('afhankelijke');

    // The form on the client page types too: answers like group A -> "zelfstandige".
    const formClient = await call('POST', '/api/v1/clients', {
      token: admin,
      body: {
        clientRef: `SEG-${tag}-FORM`,
        municipality: 'GM0344',
        firstContact: addDays(today, -2),
      },
    });
    expect(formClient.status).toBe(201);
    const viaForm = await call('POST', `/api/v1/clients/${formClient.body.id}/intake-answers`, {
      token: world.tokens.counselor,
      body: {
        answeredOn: addDays(today, -1),
        answers: { privacy_veilig: 5, slow_persoon: 4, zelf_oplossen: 1 },
      },
    });
    expect(viaForm.status).toBe(201);
    expect(viaForm.body.clientType).toEqual({
      code: 'zelfstandige',
      name: 'Zelfstandige',
    });
    expect(await typeOf(`SEG-${tag}-FORM`)).toBe('zelfstandige');

    // The runs list and the run say which scenario is in use, with the names given.
    const listed = (await call('GET', runs, { token: admin })).body.find((r: { id: string }) => r.id === id);
    expect(listed.activeK).toBe(3);
    expect((await call('GET', `${runs}/${id}`, { token: admin })).body.activeTypes).toEqual([
      { name: 'Zelfstandige', description: 'Regelt veel zelf' },
      { name: 'Afhankelijke', description: 'Wil een persoon spreken' },
      { name: 'Kwetsbare', description: null },
    ]);

    // Transitions from 100 days ago to today: only A0..A2 had a type then ("kwetsbare"); now "zelfstandige".
    const t = await call('GET', `/api/v1/client-types/transitions?from=${addDays(today, -100)}&to=${today}`, {
      token: admin,
    });
    expect(t.body.types).toEqual(['kwetsbare', 'zelfstandige']);
    expect(t.body.counts).toEqual([
      [0, 3],
      [0, 0],
    ]);
    expect(t.body.shares).toEqual([
      [0, 1],
      [0, 0],
    ]);
    expect(
      expectError(
        await call('GET', `/api/v1/client-types/transitions?from=${today}&to=${addDays(today, -1)}`, { token: admin }),
        400,
      ).details?.[0].field,
    ).toBe('from');
    expect(
      expectError(
        await call('GET', `/api/v1/client-types/transitions?from=gisteren&to=${today}`, { token: admin }),
        400,
      ).details?.[0].field,
    ).toBe('from');
    expect(
      (
        await call('GET', `/api/v1/client-types/transitions?from=${addDays(today, -100)}&to=${today}`, {
          token: world.tokens.orgBAdmin,
        })
      ).body.types,
    ).toEqual([]);
    expectError(
      await call('GET', `/api/v1/client-types/transitions?from=${today}&to=${today}`, {
        token: world.tokens.counselor,
      }),
      403,
    );
  });

  it("gives the outcomes per segment over the run's clients, worked out by hand", async () => {
    /*
     * All first contacts 60 days ago. Re-imported: A0..A5 in balance on day 30; B0 and B1 dropped
     * out on day 10. Step iu_in_balance within 45 days, as of today (every client eligible):
     *   segment 0 (A, 12): reached 6 -> share 0.5, median 30 days; no dropout.
     *   segment 1 (B, 10): reached 0; dropped 2 -> dropout share 0.2.
     *   segment 2 (C, 8):  reached 0, no dropout.
     */
    const fc = addDays(today, -60);
    const lines = [
      'client_ref,municipality,first_contact,goal_known,approach_set,iu_in_view,iu_in_balance,settlement_ready,dropout_date,dropout_reason',
    ];
    for (let i = 0; i < 12; i++) lines.push(`${ref('A', i)},GM0344,${fc},,,,${i < 6 ? addDays(fc, 30) : ''},,,`);
    for (let i = 0; i < 10; i++)
      lines.push(`${ref('B', i)},GM0344,${fc},,,,,,${i < 2 ? `${addDays(fc, 10)},no_show` : ','}`);
    expect((await upload('/api/v1/imports/trajectories', admin, lines.join('\n'))).status).toBe(200);
    const id = (await call('GET', runs, { token: admin })).body.find(
      (r: { state: string }) => r.state === 'completed',
    ).id;
    const o = await call('GET', `${runs}/${id}/scenarios/3/outcomes?step=iu_in_balance&withinDays=45&asOf=${today}`, {
      token: admin,
    });
    expect(o.status).toBe(200);
    expect(
      o.body.rows.map((r: Record<string, unknown>) => [
        r.segment,
        r.eligible,
        r.reached,
        r.share,
        r.dropped,
        r.dropoutShare,
        r.medianDays,
      ]),
    ).toEqual([
      [0, 12, 6, 0.5, 0, 0, 30],
      [1, 10, 0, 0, 2, 0.2, null],
      [2, 8, 0, 0, 0, 0, null],
    ]);
    /*
     * Their intervals (#24). Segment 1's dropout 2 of 10, Wilson with z = 1.959964: centre
     * (0.2 + z^2/20) / (1 + z^2/10) = 0.28326, half-width z * sqrt(0.016 + z^2/400) / 1.38415 = 0.22658:
     * 0.05668 .. 0.50984. Segment 0's median: the curve is 0 before day 30 (no interval above 1/2)
     * and exactly 1/2 from day 30 on (6 of 12, nobody else leaves before day 60): the upper curve first
     * reaches 1/2 on day 30, the lower one never: 30 .. null (beyond the followed period).
     */
    const [s0, s1] = o.body.rows as Record<string, number | null>[];
    expect(s1.dropoutCiLow).toBeCloseTo(0.05668, 4);
    expect(s1.dropoutCiHigh).toBeCloseTo(0.50984, 4);
    expect([s0.medianCiLow, s0.medianCiHigh]).toEqual([30, null]);
    expect(
      expectError(
        await call('GET', `${runs}/${id}/scenarios/3/outcomes?step=flying`, {
          token: admin,
        }),
        400,
      ).details?.[0].field,
    ).toBe('step');
    expect(
      expectError(
        await call('GET', `${runs}/${id}/scenarios/3/outcomes?step=iu_in_balance&withinDays=-1`, { token: admin }),
        400,
      ).details?.[0].field,
    ).toBe('withinDays');
    expectError(
      await call('GET', `${runs}/${id}/scenarios/3/outcomes?step=iu_in_balance`, { token: world.tokens.orgBAdmin }),
      404,
    );
  });

  it("lets a policy advisor read runs, profiles and outcomes, without the figures of small segments; writes stay the admin's (#24)", async () => {
    const advisor = world.tokens.policy_advisor;
    const list = await call('GET', runs, { token: advisor });
    expect(list.status).toBe(200);
    const id = list.body.find((r: { state: string }) => r.state === 'completed').id;
    expect((await call('GET', `${runs}/${id}`, { token: advisor })).status).toBe(200);
    /*
     * The outcomes of the case above for a policy advisor (minCell 10): segment 2 (8 eligible) is
     * under it; alone it could be worked out from the others (the segments add up to the run), so
     * the smallest other, segment 1 (10), is hidden too. Segment 0 (12) shows as for the admin.
     */
    const o = await call('GET', `${runs}/${id}/scenarios/3/outcomes?step=iu_in_balance&withinDays=45&asOf=${today}`, {
      token: advisor,
    });
    expect(o.status).toBe(200);
    expect(o.body.rows.map((r: Record<string, unknown>) => [r.segment, r.eligible, r.share, r.suppressed])).toEqual([
      [0, 12, 0.5, false],
      [1, null, null, true],
      [2, null, null, true],
    ]);
    // The profile: the same rule on the segments' sizes; the admin sees every figure.
    const p = await call('GET', `${runs}/${id}/scenarios/3/profile`, { token: advisor });
    const full = await call('GET', `${runs}/${id}/scenarios/3/profile`, { token: admin });
    expect(p.status).toBe(200);
    const small = new Set(p.body.suppressedSegments as number[]);
    expect(full.body.suppressedSegments).toEqual([]);
    for (const [i, r] of (p.body.rows as { segment: number; mean: number | null }[]).entries())
      expect([r.segment, r.mean]).toEqual([r.segment, small.has(r.segment) ? null : full.body.rows[i].mean]);
    // Which: the sizes under 10, and with exactly one, the smallest other too.
    const sizes = p.body.sizes as number[];
    const under = sizes.flatMap((n, i) => (n < 10 ? [i] : []));
    const others = sizes
      .map((n, i) => [n, i])
      .filter(([, i]) => !under.includes(i))
      .sort((a, b) => a[0] - b[0]);
    const expected = under.length === 1 && others.length ? [...under, others[0][1]] : under;
    expect([...small].sort()).toEqual(expected.sort());
    // Writes and the per-client list stay with the organisation admin.
    expectError(await call('POST', runs, { token: advisor, body: { kMin: 2, kMax: 3 } }), 403);
    expectError(await call('POST', `${runs}/${id}/cancel`, { token: advisor }), 403);
    expectError(
      await call('POST', `${runs}/${id}/scenarios/3/activate`, { token: advisor, body: { names: ['a', 'b', 'c'] } }),
      403,
    );
    expectError(await call('GET', `${runs}/${id}/scenarios/3/assignments`, { token: advisor }), 403);
    // Another organisation's advisor finds nothing.
    expectError(await call('GET', `${runs}/${id}/scenarios/3/profile`, { token: world.tokens.orgBAdmin }), 404);
  });

  it('keeps runs inside the organisation and names a bad k', async () => {
    const id = (await call('GET', runs, { token: admin })).body.find(
      (r: { state: string }) => r.state === 'completed',
    ).id;
    expectError(await call('GET', `${runs}/${id}`, { token: world.tokens.orgBAdmin }), 404);
    expectError(
      await call('GET', `${runs}/${id}/scenarios/3/profile`, {
        token: world.tokens.orgBAdmin,
      }),
      404,
    );
    expectError(
      await call('POST', `${runs}/${id}/cancel`, {
        token: world.tokens.orgBAdmin,
      }),
      404,
    );
    expect((await call('GET', runs, { token: world.tokens.orgBAdmin })).body).toEqual([]);
    expect(
      expectError(
        await call('GET', `${runs}/${id}/scenarios/1/assignments`, {
          token: admin,
        }),
        400,
      ).details?.[0].field,
    ).toBe('k');
    expect(
      expectError(
        await call('GET', `${runs}/${id}/scenarios/x/assignments`, {
          token: admin,
        }),
        400,
      ).details?.[0].field,
    ).toBe('k');
    expectError(
      await call('GET', `${runs}/${id}/scenarios/9/assignments`, {
        token: admin,
      }),
      404,
    ); // not in this run
    expect(expectError(await call('GET', `${runs}/not-a-uuid`, { token: admin }), 400).details?.[0].field).toBe('id');
  });
});
