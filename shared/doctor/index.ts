// The task doctor: why a task died, in plain words, with the evidence beside it.
// rules.ts is the rule table (data); diagnose() applies it; input.ts builds its input from a view.
export * from './evidence';
export * from './diagnosis';
export * from './diagnose';
export * from './input';
export * from './rule-schema';
export { RULES } from './rules';
export * from './spec-change';
export * from './glog';
export * from './version';
export * from './evidence-lines';
export * from './verdict';
