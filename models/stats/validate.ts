/**
 * Input checks shared by the statistics core. Each throws a `TypeError` for a value of the wrong
 * kind and a `RangeError` for a value outside its domain, naming the function and the argument.
 */

/** Throws TypeError unless `value` is a number (not NaN), RangeError unless it is finite. */
export function assertFiniteNumber(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${fn}: ${name} must be a number, got ${String(value)}`);
  }
  if (!Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be finite, got ${value}`);
}

/** A non-negative integer count. */
export function assertCount(fn: string, name: string, value: unknown): asserts value is number {
  assertFiniteNumber(fn, name, value);
  if (value < 0 || !Number.isInteger(value)) {
    throw new RangeError(`${fn}: ${name} must be a non-negative integer, got ${value}`);
  }
}

/** A finite number ≥ 0. */
export function assertNonNegative(fn: string, name: string, value: unknown): asserts value is number {
  assertFiniteNumber(fn, name, value);
  if (value < 0) throw new RangeError(`${fn}: ${name} must be >= 0, got ${value}`);
}

/** A finite number > 0. */
export function assertPositive(fn: string, name: string, value: unknown): asserts value is number {
  assertFiniteNumber(fn, name, value);
  if (!(value > 0)) throw new RangeError(`${fn}: ${name} must be > 0, got ${value}`);
}

/** A probability strictly inside (0, 1). */
export function assertProbabilityOpen(fn: string, name: string, value: unknown): asserts value is number {
  assertFiniteNumber(fn, name, value);
  if (!(value > 0 && value < 1)) throw new RangeError(`${fn}: ${name} must be in (0, 1), got ${value}`);
}

/** Confidence level: a number strictly between 0 and 1 (0.95, not 95). */
export function checkConfidence(fn: string, confidence: unknown): number {
  if (confidence === undefined) return 0.95;
  assertFiniteNumber(fn, 'confidence', confidence);
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`${fn}: confidence must be in (0, 1) (e.g. 0.95), got ${confidence}`);
  }
  return confidence;
}

/** Alternative hypothesis of a test, named as in R. */
export type Alternative = 'two.sided' | 'greater' | 'less';

/** 'two.sided' (default), 'greater' or 'less', as in R. */
export function checkAlternative(fn: string, alternative: unknown): Alternative {
  if (alternative === undefined) return 'two.sided';
  if (alternative === 'two.sided' || alternative === 'greater' || alternative === 'less') return alternative;
  throw new TypeError(`${fn}: alternative must be 'two.sided', 'greater' or 'less', got ${String(alternative)}`);
}

/** Throws TypeError unless `value` is an array. */
export function assertArray(fn: string, name: string, value: unknown): asserts value is unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${fn}: ${name} must be an array`);
}

/** Throws RangeError when two parallel arrays differ in length. */
export function assertSameLength(fn: string, names: [string, string], a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) {
    throw new RangeError(`${fn}: ${names[0]} and ${names[1]} must have the same length (${a.length} vs ${b.length})`);
  }
}

/** Throws unless the three columns (plain or typed arrays of numbers) are arrays of one length. */
export function assertParallelColumns(fn: string, names: [string, string, string], columns: [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>]): void {
  const listed = `${names[0]}, ${names[1]} and ${names[2]}`;
  if (!columns.every((c) => Array.isArray(c) || ArrayBuffer.isView(c))) throw new TypeError(`${fn}: ${listed} must be arrays of numbers`);
  const [a, b, c] = columns;
  if (b.length !== a.length || c.length !== a.length) {
    throw new RangeError(`${fn}: ${listed} must have the same length (${a.length}, ${b.length}, ${c.length})`);
  }
}
