# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for vtd-sim (vtdkit): the arguments' vocabulary and that of
# a request, over the shared engine (vtd-complete.bash, which make puts in
# front of this).
#   vtd-sim [OPTIONS] BDF ACCESS ADDRESS [pasid=N] [priv] [at=KIND] [expect=RESULT]
#   vtd-sim [OPTIONS] -f FILE
# shellcheck disable=SC2207

# The argument $2 of option $1.
_vtd_sim_arg()
{
	local pre='' items="context= pasid= iotlb= psc= devtlb= ways= seed=
		replace=lru replace=fifo replace=random replace=flush"

	case $1 in
	--faults) COMPREPLY=($(compgen -W "spec qemu" -- "$2")) ;;
	-a | --aw-bits) COMPREPLY=($(compgen -W "39 48" -- "$2")) ;;
	--cache)
		# A list: complete its last item; "off" only stands alone.
		if [[ $2 == *,* ]]; then pre=${2%,*}, ; else items="off $items"; fi
		COMPREPLY=($(compgen -P "$pre" -W "$items" -- "${2##*,}"))
		compopt -o nospace 2>/dev/null
		;;
	*) _vtd_complete_file "$1" "$2" ;;	# files, and the FILE of -l FILE@PA
	esac
}

# A request's words; nothing once -f names a file of them.
_vtd_sim_operand()
{
	[[ " ${seen[*]} " == *" -f "* || " ${seen[*]} " == *" --file "* ]] && return 0
	case ${#operands[@]} in
	1) COMPREPLY=($(compgen -W "read write exec" -- "$cur")) ;;
	0 | 2) ;;	# BDF, ADDRESS: nothing to offer
	*)
		COMPREPLY=($(compgen -W "pasid= priv at=untranslated at=translation-request
			at=translated at=page-request expect=ok expect=suppressed expect=dropped expect=0x" -- "$cur"))
		[[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *[=x] ]] && compopt -o nospace 2>/dev/null
		;;
	esac
}

_vtd_sim() { _vtd_complete vtd-sim; }
complete -F _vtd_sim vtd-sim
