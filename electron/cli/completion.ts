import { FAULT_IDS } from '@shared/faults/catalog';
import { type Command, EXIT, GLOBAL_OPTIONS, UsageError } from './command';

/**
 * `mesoscope completion bash|zsh`: a completion script made from the command table — commands,
 * sub-commands, each command's options, cluster names (from `mesoscope ls -q`, asked when completing),
 * fault names, files for `replay`. zsh loads the same function through bashcompinit.
 */

export function bashCompletion(commands: Command[]): string {
  const top = [...new Set(commands.map((c) => c.name.split(' ')[0]))];
  const subs = new Map<string, string[]>();
  for (const c of commands) {
    const [head, sub] = c.name.split(' ');
    if (sub) subs.set(head as string, [...(subs.get(head as string) ?? []), sub]);
  }
  const optionCases = commands
    .map((c) => {
      const flags = Object.entries({ ...c.options, ...GLOBAL_OPTIONS }).map(([name]) => `--${name}`);
      return `    "${c.name}") opts="${flags.join(' ')}" ;;`;
    })
    .join('\n');
  const clusterCommands = commands.filter((c) => c.clusterArg).map((c) => `"${c.name}"`).join('|');
  const subCases = [...subs].map(([head, list]) => `    ${head}) words=2; if [[ $COMP_CWORD -eq 2 ]]; then COMPREPLY=($(compgen -W "${list.join(' ')}" -- "$cur")); return; fi; cmd="${head} \${COMP_WORDS[2]}" ;;`).join('\n');
  return `# mesoscope completion for bash (and zsh, through bashcompinit).
# Load it: eval "$(mesoscope completion bash)"   (or add that line to ~/.bashrc)
_mesoscope() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local cmd="\${COMP_WORDS[1]}" words=1 opts="" i first=0
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${top.join(' ')} help" -- "$cur"))
    return
  fi
  case "$cmd" in
${subCases}
    help) COMPREPLY=($(compgen -W "${top.join(' ')}" -- "$cur")); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    case "$cmd" in
${optionCases}
    esac
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi
  # Which positional is being completed (options and their values are not counted exactly: enough here).
  local pos=0
  for ((i = words + 1; i < COMP_CWORD; i++)); do
    [[ "\${COMP_WORDS[i]}" == -* ]] || pos=$((pos + 1))
  done
  case "$cmd" in
    ${clusterCommands})
      if [[ $pos -eq 0 ]]; then
        COMPREPLY=($(compgen -W "$(mesoscope ls -q 2>/dev/null)" -- "$cur"))
        return
      fi ;;
  esac
  case "$cmd" in
    fault|undo) [[ $pos -eq 1 ]] && COMPREPLY=($(compgen -W "${FAULT_IDS.join(' ')}" -- "$cur")) ;;
    replay) COMPREPLY=($(compgen -f -- "$cur")) ;;
    completion) COMPREPLY=($(compgen -W "bash zsh" -- "$cur")) ;;
  esac
}
complete -F _mesoscope mesoscope
`;
}

export function zshCompletion(commands: Command[]): string {
  return `# mesoscope completion for zsh: the bash function, through zsh's bashcompinit.
# Load it: eval "$(mesoscope completion zsh)"   (or add that line to ~/.zshrc, after compinit)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(commands).split('\n').slice(2).join('\n')}`;
}

export function completion(commands: () => Command[]): Command {
  return {
    name: 'completion',
    args: 'bash|zsh',
    summary: 'A shell completion script for bash or zsh.',
    example: 'eval "$(mesoscope completion bash)"\necho \'eval "$(mesoscope completion zsh)"\' >> ~/.zshrc',
    offline: true,
    options: {},
    async run(ctx) {
      const shell = ctx.positionals[0];
      if (shell === 'bash') process.stdout.write(bashCompletion(commands()));
      else if (shell === 'zsh') process.stdout.write(zshCompletion(commands()));
      else throw new UsageError(`completion takes bash or zsh, not "${shell ?? ''}"`);
      return EXIT.ok;
    },
  };
}
