import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { STEP_CODES, type StepCode, addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { call, makeWorld, type World } from '../support/http';

/**
 * Tenant isolation as a model-based test of the API (docs/quality.md). fast-check runs random sequences of
 * commands by two organisations' counselors (and organisation A's policy advisor) against the real
 * api, and after every command compares what the api answers with a model of who owns what:
 * a client is read, listed, stepped and supported only by its own organisation; anyone else gets
 * 404 (never 403: the record's existence is not revealed), and a refused change leaves no trace.
 */
type Org = 'A' | 'B';
/** The steps a counselor marks (first contact starts the trajectory). */
const STEPS = STEP_CODES.filter((s): s is Exclude<StepCode, 'first_contact'> => s !== 'first_contact');
const MUNICIPALITY: Record<Org, string> = { A: 'GM0344', B: 'GM0080' };
const today = todayInAmsterdam();

interface ClientModel {
  org: Org;
  id: string;
  trajectoryId: string;
  clientRef: string;
  steps: Record<string, string | null>;
  /** The dates marked per step (the API keeps their order: a date may not pass a marked neighbour). */
  recorded: Record<string, string>;
  support: number;
}
interface Model {
  clients: ClientModel[];
}
interface Real {
  world: World;
  tag: string;
  token: (org: Org) => string;
}

const other = (org: Org): Org => (org === 'A' ? 'B' : 'A');
const pick = (m: Model, index: number) => m.clients[index % m.clients.length];

/** What the owner sees of a client must equal the model (steps and number of support contacts). */
async function checkOwnerView(r: Real, c: ClientModel) {
  const d = await call('GET', `/api/v1/clients/${c.id}`, {
    token: r.token(c.org),
  });
  expect(d.status).toBe(200);
  expect(d.body.clientRef).toBe(c.clientRef);
  expect(d.body.trajectory.steps).toEqual(c.steps);
  expect(d.body.support).toHaveLength(c.support);
}

class CreateClient implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly org: Org,
    readonly refNo: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const clientRef = `TM-${r.tag}-${this.refNo}`;
    const a = await call('POST', '/api/v1/clients', {
      token: r.token(this.org),
      body: {
        clientRef,
        municipality: MUNICIPALITY[this.org],
        firstContact: addDays(today, -30),
      },
    });
    // A reference is unique within an organisation only: the other organisation may use it too.
    if (m.clients.some((c) => c.org === this.org && c.clientRef === clientRef)) {
      expect(a.status).toBe(409);
      return;
    }
    expect(a.status).toBe(201);
    const steps = Object.fromEntries([['first_contact', addDays(today, -30)], ...STEPS.map((s) => [s, null])]);
    m.clients.push({
      org: this.org,
      id: a.body.id,
      trajectoryId: a.body.trajectoryId,
      clientRef,
      steps,
      recorded: { first_contact: addDays(today, -30) },
      support: 0,
    });
  }
  toString = () => `create(${this.org}, ${this.refNo})`;
}

class ReadClient implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly as: Org,
    readonly index: number,
  ) {}
  check = (m: Readonly<Model>) => m.clients.length > 0;
  async run(m: Model, r: Real) {
    const c = pick(m, this.index);
    if (c.org === this.as) return checkOwnerView(r, c);
    const a = await call('GET', `/api/v1/clients/${c.id}`, {
      token: r.token(this.as),
    });
    expect(a.status).toBe(404);
    expect(a.text).not.toContain(c.clientRef);
  }
  toString = () => `read(as ${this.as}, #${this.index})`;
}

class ListClients implements fc.AsyncCommand<Model, Real> {
  constructor(readonly as: Org) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const a = await call('GET', `/api/v1/clients?q=TM-${r.tag}-&pageSize=100`, {
      token: r.token(this.as),
    });
    expect(a.status).toBe(200);
    const mine = m.clients.filter((c) => c.org === this.as);
    expect(a.body.total).toBe(mine.length);
    expect(a.body.items.map((i: { id: string }) => i.id).sort()).toEqual(mine.map((c) => c.id).sort());
  }
  toString = () => `list(as ${this.as})`;
}

class MarkStep implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly as: Org,
    readonly index: number,
    readonly step: (typeof STEPS)[number],
    readonly daysAgo: number,
  ) {}
  check = (m: Readonly<Model>) => m.clients.length > 0;
  async run(m: Model, r: Real) {
    const c = pick(m, this.index);
    const date = addDays(today, -this.daysAgo);
    const a = await call('POST', `/api/v1/trajectories/${c.trajectoryId}/steps`, {
      token: r.token(this.as),
      body: { step: this.step, date },
    });
    // Steps keep their order: a later step marked before this date, or an earlier one after it, refuses it.
    const at = STEP_CODES.indexOf(this.step);
    const outOfOrder = Object.entries(c.recorded).some(([other, d]) => {
      if (other === this.step) return false;
      const later = STEP_CODES.indexOf(other as StepCode) > at;
      return (later && d < date) || (!later && d > date);
    });
    if (c.org === this.as && outOfOrder) {
      expect(a.status).toBe(400);
      expect(['after_later_step', 'before_earlier_step']).toContain(a.body.details[0].message);
    } else if (c.org === this.as) {
      expect(a.status).toBe(200);
      c.recorded[this.step] = date;
      c.steps = a.body.steps;
      expect(c.steps[this.step]).not.toBeNull();
    } else {
      expect(a.status).toBe(404);
    }
    await checkOwnerView(r, c);
  }
  toString = () => `step(as ${this.as}, #${this.index}, ${this.step}, -${this.daysAgo}d)`;
}

class RecordSupport implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly as: Org,
    readonly index: number,
  ) {}
  check = (m: Readonly<Model>) => m.clients.length > 0;
  async run(m: Model, r: Real) {
    const c = pick(m, this.index);
    const a = await call('POST', `/api/v1/trajectories/${c.trajectoryId}/support`, {
      token: r.token(this.as),
      body: {
        date: today,
        type: 'administrative',
        minutes: 30,
        channel: 'phone',
      },
    });
    if (c.org === this.as) {
      expect(a.status).toBe(201);
      c.support++;
    } else {
      expect(a.status).toBe(404);
    }
    await checkOwnerView(r, c);
  }
  toString = () => `support(as ${this.as}, #${this.index})`;
}

/** A policy advisor never reads single clients, of the own organisation or another. */
class AdvisorReads implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.clients.length > 0;
  async run(m: Model, r: Real) {
    const c = pick(m, this.index);
    const a = await call('GET', `/api/v1/clients/${c.id}`, {
      token: r.world.tokens.policy_advisor,
    });
    // The role may not read clients at all, so every id gets the same 403: nothing is revealed.
    expect(a.status).toBe(403);
    expect(a.text).not.toContain(c.clientRef);
  }
  toString = () => `advisorRead(#${this.index})`;
}

describe('tenant isolation (model-based)', () => {
  let world: World;

  beforeAll(async () => {
    world = await makeWorld();
  });

  it('keeps every client to its own organisation whatever the sequence of calls', async () => {
    const org = fc.constantFrom<Org>('A', 'B');
    const index = fc.nat({ max: 50 });
    const commands = [
      fc.tuple(org, fc.nat({ max: 6 })).map(([o, n]) => new CreateClient(o, n)),
      fc.tuple(org, index).map(([o, i]) => new ReadClient(o, i)),
      org.map((o) => new ListClients(o)),
      fc
        .tuple(org, index, fc.constantFrom(...STEPS), fc.integer({ min: 0, max: 29 }))
        .map(([o, i, s, d]) => new MarkStep(o, i, s, d)),
      fc.tuple(org, index).map(([o, i]) => new RecordSupport(o, i)),
      index.map((i) => new AdvisorReads(i)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), async (cmds) => {
        const tag = randomUUID().slice(0, 8);
        const real: Real = {
          world,
          tag,
          token: (o) => (o === 'A' ? world.tokens.counselor : world.tokens.orgBCounselor),
        };
        await fc.asyncModelRun(() => ({ model: { clients: [] }, real }), cmds);
      }),
      { numRuns: 12 },
    );
  }, 120000);

  it('has a model that notices a leak (the check itself can fail)', async () => {
    // A client of A, read by B: the model expects 404; pretending B owns it must make the check fail.
    const real: Real = {
      world,
      tag: randomUUID().slice(0, 8),
      token: (o) => (o === 'A' ? world.tokens.counselor : world.tokens.orgBCounselor),
    };
    const model: Model = { clients: [] };
    await new CreateClient('A', 1).run(model, real);
    const forged = { ...model.clients[0], org: other('A') };
    await expect(checkOwnerView(real, forged)).rejects.toThrow();
  });
});
