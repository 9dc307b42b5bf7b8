// faultline repro NAME: run a ready-made recipe (harness/recipes) that
// reproduces a known failure class. The recipe is a set of `faultline test`
// options; this command parses them with test's own parser and hands them to
// test's handler, so the run, its store folder, its output and its exit code
// are exactly those of the printed `faultline test ...` line.
import chalk from 'chalk';
import { UserError } from '../../history/index.ts';
import { RECIPES, RECIPE_NAMES, recipeArgv, recipeByName, recipeTestArgs, type Recipe } from '../recipes/index.ts';
import { defineCommand } from './define.ts';
import { testCommand } from './test.ts';

function expectation(r: Recipe): string {
  if (r.expect.valid === true) return 'expected valid (safety holds; see the explanation)';
  return `expected ${r.expect.valid === false ? 'INVALID' : 'unknown'}, caught by ${r.expect.caughtBy.join(' or ')}`;
}

function listing(json: boolean): void {
  if (json) {
    console.log(JSON.stringify(RECIPES.map((r) => ({ ...r, command: ['faultline', 'test', ...recipeArgv(r)] })), null, 2));
    return;
  }
  const width = Math.max(...RECIPE_NAMES.map((n) => n.length));
  for (const r of RECIPES) console.log(`${r.name.padEnd(width)}  ${r.title}\n${' '.repeat(width)}  ${chalk.dim(expectation(r))}`);
  console.log(chalk.dim('\nRun one with `faultline repro NAME`; `faultline repro NAME --explain` tells the story behind it.'));
}

export const reproCommand = defineCommand({
  command: 'repro [name]',
  describe: 'Run a ready-made recipe that reproduces a known bug (list them with --list)',
  builder: (y) =>
    y
      .positional('name', { type: 'string', describe: 'recipe name (see --list)' })
      .option('list', { type: 'boolean', default: false, describe: 'list the recipes' })
      .option('explain', { type: 'boolean', default: false, describe: 'print the recipe, its command line and the bug it mirrors; do not run' })
      .option('seed', { type: 'number', describe: "random seed (default: the recipe's)" })
      .option('time-limit', { type: 'number', describe: "main phase length, seconds (default: the recipe's)" })
      .option('store', { type: 'string', default: 'store', describe: 'store folder for run results' })
      .option('junit', { type: 'string', describe: 'also write JUnit XML to this file' })
      .option('json', { type: 'boolean', default: false, describe: 'machine-readable output (with --list: the catalog)' }),
  handler: async (args) => {
    if (args.list) return listing(args.json);
    if (!args.name) throw new UserError('name a recipe, or --list them', `Known recipes: ${RECIPE_NAMES.join(', ')}`);
    const recipe = recipeByName(args.name);
    if (!recipe) throw new UserError(`unknown recipe ${JSON.stringify(args.name)}`, `Known recipes: ${RECIPE_NAMES.join(', ')}`);
    const overrides = { seed: args.seed, timeLimit: args.timeLimit };
    const command = ['faultline', 'test', ...recipeArgv(recipe, overrides)].join(' ');
    if (args.explain) {
      if (args.json) console.log(JSON.stringify({ ...recipe, command }, null, 2));
      else console.log(`${chalk.bold(recipe.name)}: ${recipe.title}\n\n${recipe.explanation}\n\n${expectation(recipe)}\n${chalk.dim(command)}`);
      return;
    }
    const extra = ['--store', args.store, ...(args.json ? ['--json'] : []), ...(args.junit ? ['--junit', args.junit] : [])];
    const testArgs = recipeTestArgs(recipe, overrides, extra);
    if (!args.json) console.error(chalk.dim(`faultline repro ${recipe.name}: ${expectation(recipe)}\n  = ${command}`));
    await testCommand.handler(testArgs);
  },
});
