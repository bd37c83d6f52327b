# bash completion for heapscope(1): commands, options, sort keys, and the
# PIDs of the Python processes `heapscope ps` lists.

_heapscope_pids()
{
	# ps prints a header, one row per process, then (maybe) a blank line
	# and the reasons: take the first column of the rows
	command "$1" ps 2>/dev/null | awk 'NR == 1 { next } /^$/ { exit } { print $1 }'
}

_heapscope()
{
	local cur prev cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	local commands="types gens show threads objects referents referrers path top watch suspects memory ps save diff"
	local options="--json --no-freeze --max-copy --lazy-min --sort --top --limit --max --type
		--pid-of --interval --count --fail-if-grows --min-bytes --retained --by-site --traceback
		--all --tracked-only
		-o --output --zstd-level --zstd-threads --baseline --sysroot --exe"

	case $prev in
	--sort)
		COMPREPLY=($(compgen -W "size count avg name refcnt addr shallow" -- "$cur"))
		return ;;
	--max-copy | --lazy-min | --top | --limit | --max | --type | --pid-of | --interval | \
	--count | --fail-if-grows | --min-bytes)
		return ;;   # a value of the user's own
	esac
	if [[ $cur == -* ]]; then
		if [[ $COMP_CWORD -eq 1 ]]; then
			COMPREPLY=($(compgen -W "--help --version --demo $options" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$options" -- "$cur"))
		fi
		return
	fi
	# the command: the first word after heapscope that is not an option
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--sort | --max-copy | --lazy-min | --top | --limit | --max | --type | --pid-of | \
		--interval | --count | --fail-if-grows | --min-bytes) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands $(_heapscope_pids "${COMP_WORDS[0]}")" -- "$cur"))
	elif [[ $cmd != ps && $cmd != [0-9]* && $i -eq $((COMP_CWORD - 1)) ]]; then
		# the word after a command is its PID
		COMPREPLY=($(compgen -W "$(_heapscope_pids "${COMP_WORDS[0]}")" -- "$cur"))
	fi
}
complete -F _heapscope heapscope
