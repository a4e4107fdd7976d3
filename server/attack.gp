# SPDX-License-Identifier: MIT
# attack.gp - a normal client's latency, idle and under attack, per server,
# from server/bench_attack.sh's build/bench/attack.dat (which calls it as
#   gnuplot -e "datafile='build/bench/attack.dat'; outfile='build/bench/attack.png'" server/attack.gp).
# Columns: server, idle p50, idle p99, attack p50, attack p99 (ms, medians).

if (!exists("datafile")) datafile = 'build/bench/attack.dat'
if (!exists("outfile")) outfile = 'build/bench/attack.png'

set terminal pngcairo size 1000,540 font "sans,10"
set output outfile
set title "A normal client's latency (wrk -t1 -c1, 1 KiB file), idle and under 100 slow senders + 100 slow readers\n{/*0.9 medians of the rounds; log scale}"
set ylabel "latency (ms)"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [0.01:*]
set grid ytics
set key outside bottom center horizontal
set xtics nomirror
# four bars a cluster, 0.2 wide: centres at -0.3, -0.1, +0.1, +0.3

plot datafile using 2:xtic(1) title "idle p50" lc rgb "#9ab8dc", \
     '' using 3 title "idle p99" lc rgb "#3b6ea8", \
     '' using 4 title "attack p50" lc rgb "#f0c878", \
     '' using 5 title "attack p99" lc rgb "#e0a030", \
     '' using ($0 - 0.1):3:(sprintf("%.2f", $3)) with labels offset 0,0.7 font "sans,8" notitle, \
     '' using ($0 + 0.3):5:(sprintf("%.2f", $5)) with labels offset 0,0.7 font "sans,8" notitle
