# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for vtd-decode (vtdkit): the arguments' vocabulary, over
# the shared engine (vtd-complete.bash, which make puts in front of this).
#   vtd-decode [OPTIONS] STRUCT WORD...        vtd-decode dmar|regs FILE
#   vtd-decode --encode STRUCT FIELD=VALUE...
# Structures and fields come from the tool itself:
#   vtd-decode --list                structure names (first column)
#   vtd-decode --fields STRUCT -j    field keys and value names for --encode
# shellcheck disable=SC2207

# Structure names; "concrete" leaves out the pickers (inv, irte), which can
# be neither encoded nor shown with --fields.
_vtd_decode_structs()
{
	local which=$1 name family rest

	while read -r name family rest; do
		[[ -n $name ]] || continue
		[[ $which == concrete && $family == picker ]] && continue
		printf '%s\n' "$name"
	done < <("$prog" --list 2>/dev/null)
}

# "key name" for each field of structure $1, then "=value" lines for the
# named values of the field given as $2 (enumerations and bit sets).
_vtd_decode_fields()
{
	local st=$1 want=${2-} tok prev='' fname='' fkey=''

	while IFS= read -r tok; do
		case $tok in
		'"key":'*)
			fkey=${tok#'"key":"'}
			fkey=${fkey%'"'}
			fname=$prev
			printf '%s %s\n' "$fkey" "$fname"
			prev=
			;;
		'"name":'*)
			# A name right after a field's key is one of its values.
			[[ -n $prev && -n $want ]] && [[ ${fkey,,} == "${want,,}" || ${fname,,} == "${want,,}" ]] &&
				printf '=%s\n' "$prev"
			prev=${tok#'"name":"'}
			prev=${prev%'"'}
			;;
		esac
	done < <("$prog" --fields "$st" -j 2>/dev/null | grep -o '"\(name\|key\)":"[^"]*"')
	[[ -n $prev && -n $want ]] && [[ ${fkey,,} == "${want,,}" || ${fname,,} == "${want,,}" ]] &&
		printf '=%s\n' "$prev"
	return 0
}

# Was option $1 (or its short form $2) given?
_vtd_decode_seen()
{
	[[ " ${seen[*]} " == *" $1 "* || " ${seen[*]} " == *" $2 "* ]]
}

# The argument $2 of option $1.
_vtd_decode_arg()
{
	case ${takes[$1]-} in
	struct) COMPREPLY=($(compgen -W "$(_vtd_decode_structs concrete)" -- "$2")) ;;
	file) _vtd_complete_file "$1" "$2" ;;
	*)
		case $1 in
		-w | --width) COMPREPLY=($(compgen -W "128 256" -- "$2")) ;;
		esac
		;;
	esac
}

_vtd_decode_operand()
{
	local encode=0 which=all operand key name v pre want
	local -a keys=() vals=()

	_vtd_decode_seen --encode -e && encode=1
	if ((${#operands[@]} == 0)); then
		# The first operand: a structure or a subcommand.
		((encode)) && which=concrete
		COMPREPLY=($(compgen -W "$(_vtd_decode_structs "$which") dmar regs" -- "$cur"))
		return 0
	fi
	operand=${operands[0]}
	case $operand in
	dmar | regs)
		# One FILE.
		((${#operands[@]} == 1)) || return 0
		compopt -o filenames 2>/dev/null
		local IFS=$'\n'
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	esac
	((encode)) && ! _vtd_decode_seen --from-json --from-json || return 0

	# --encode STRUCT FIELD=VALUE...
	if [[ $cur == *=* ]]; then
		want=${cur%%=*}
		# A bit-set list: complete its last item.
		pre=$want=
		[[ $cur == *=*,* ]] && pre=${cur%,*},
		while IFS= read -r v; do
			[[ $v == =* ]] && vals+=("$pre${v#=}")
		done < <(_vtd_decode_fields "$operand" "$want")
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "${vals[*]}" -- "$cur"))
		return 0
	fi
	while read -r key name; do
		[[ $key == =* ]] && continue
		# Capitals typed: offer the names as the specification spells them.
		if [[ $cur == [A-Z]* ]]; then
			keys+=("$name=")
		else
			keys+=("$key=")
		fi
	done < <(_vtd_decode_fields "$operand")
	compopt -o nospace 2>/dev/null
	COMPREPLY=($(compgen -W "${keys[*]}" -- "$cur"))
	return 0
}

_vtd_decode() { _vtd_complete vtd-decode; }
complete -F _vtd_decode vtd-decode
