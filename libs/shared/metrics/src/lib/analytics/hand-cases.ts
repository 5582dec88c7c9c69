/**
 * Hand-worked cases shared by the unit tests here and the API tests (apps/api-e2e), which load the
 * same records through the import and check the SQL path against the same hand-worked numbers.
 */
import type { TrajectoryRecord } from './trajectory';

/**
 * asOf 2025-06-30, step iu_in_balance, D = 60. Hand-worked:
 *   A GM1 fc 01-01, iu_in_balance 02-15 (day 45)                     -> reached   type zelf (assessed 01-05)
 *   B GM1 fc 01-01, only settlement_ready 02-20: eff(iu_in_balance) = 02-20 (day 50, unrecorded
 *         intermediate step)                                          -> reached   type zelf
 *   C GM1 fc 01-01, iu_in_balance 03-15 (day 73 > 60)               -> not       type kwetsbaar (assessed 01-31 = fc + 30: counts)
 *   D GM1 fc 01-10, iu_in_balance 03-11 (21 + 28 + 11 = day 60 <= 60) -> reached  unknown (assessed 02-10 = fc + 31: too late)
 *   E GM1 fc 05-15: fc + 60 = 07-14 > asOf                           -> not eligible
 *   F GM2 fc 02-01, dropout 02-10, no step                           -> not       type kwetsbaar (assessed 01-20, before fc: counts)
 *   G GM2 fc 02-01, iu_in_balance 03-01 (day 28), dropout 03-20 after -> reached  type zelf (re-assessed kwetsbaar 06-01: earliest counts)
 *   H GM2 fc 02-01, iu_in_balance 07-05 (after asOf: ignored)        -> not       type zelf
 *   I GM2 fc 07-01 (after asOf)                                       -> left out entirely
 *   J GM2 fc 03-01, iu_in_balance 03-01 (day 0)                      -> reached   unknown (no assessment)
 * eligible 8 (A B C D F G H J), reached 5 (A B D G J): share 5/8 = 0.625.
 * Wilson, z = 1.959964, z^2 = 3.841459: z^2/n = 0.480182, centre = (0.625 + 0.240091) / 1.480182 = 0.584451,
 *   half = 1.959964 / 1.480182 * sqrt(0.625 * 0.375 / 8 + 3.841459 / 256) = 1.324137 * 0.210482 = 0.278707
 *   -> [0.305744, 0.863158].
 * By municipality: GM1 4 eligible, 3 reached; GM2 4 eligible, 2 reached.
 * Reference shares by type (all rows): zelf A B G H: 3/4 = 0.75; kwetsbaar C F: 0/2 = 0; unknown D J: 2/2 = 1.
 *   expected GM1 = 2 zelf * 0.75 + 1 kwetsbaar * 0 + 1 unknown * 1 = 2.5, oe = 3 / 2.5 = 1.2
 *   expected GM2 = 2 zelf * 0.75 + 1 kwetsbaar * 0 + 1 unknown * 1 = 2.5, oe = 2 / 2.5 = 0.8
 */
export const ATTAINMENT_CASE: TrajectoryRecord[] = [
  {
    municipality: 'GM1',
    firstContact: '2025-01-01',
    steps: { iu_in_balance: '2025-02-15' },
    assessments: [{ assessedOn: '2025-01-05', clientType: 'zelf' }],
  },
  {
    municipality: 'GM1',
    firstContact: '2025-01-01',
    steps: { settlement_ready: '2025-02-20' },
    assessments: [{ assessedOn: '2025-01-02', clientType: 'zelf' }],
  },
  {
    municipality: 'GM1',
    firstContact: '2025-01-01',
    steps: { iu_in_balance: '2025-03-15' },
    assessments: [{ assessedOn: '2025-01-31', clientType: 'kwetsbaar' }],
  },
  {
    municipality: 'GM1',
    firstContact: '2025-01-10',
    steps: { iu_in_balance: '2025-03-11' },
    assessments: [{ assessedOn: '2025-02-10', clientType: 'zelf' }],
  },
  {
    municipality: 'GM1',
    firstContact: '2025-05-15',
    steps: { iu_in_balance: '2025-05-20' },
  },
  {
    municipality: 'GM2',
    firstContact: '2025-02-01',
    dropoutOn: '2025-02-10',
    assessments: [{ assessedOn: '2025-01-20', clientType: 'kwetsbaar' }],
  },
  {
    municipality: 'GM2',
    firstContact: '2025-02-01',
    steps: { iu_in_balance: '2025-03-01' },
    dropoutOn: '2025-03-20',
    assessments: [
      { assessedOn: '2025-06-01', clientType: 'kwetsbaar' },
      { assessedOn: '2025-02-02', clientType: 'zelf' },
    ],
  },
  {
    municipality: 'GM2',
    firstContact: '2025-02-01',
    steps: { iu_in_balance: '2025-07-05' },
    assessments: [{ assessedOn: '2025-02-01', clientType: 'zelf' }],
  },
  {
    municipality: 'GM2',
    firstContact: '2025-07-01',
    steps: { iu_in_balance: '2025-07-01' },
  },
  {
    municipality: 'GM2',
    firstContact: '2025-03-01',
    steps: { iu_in_balance: '2025-03-01' },
  },
];
