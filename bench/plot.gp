# SPDX-License-Identifier: MIT
# plot.gp - ward's throughput over llhttp's and http-parser's, per corpus,
# from bench_parse's data file. bench/run.sh calls it as
#   gnuplot -e "datafile='build/bench/data.tsv'; outfile='build/bench/ratios.png'" bench/plot.gp
# Columns: idx corpus ward llhttp http_parser (requests/s), the same in
# bytes/s, ward/llhttp, ward/http_parser. The first nhead rows are the head
# corpora, the rest the chunked-body corpora (bench_parse.c's order).

if (!exists("datafile")) datafile = 'build/bench/data.tsv'
if (!exists("outfile")) outfile = 'build/bench/ratios.png'
if (!exists("nhead")) nhead = 4

set terminal pngcairo size 1000,540 font "sans,10"
set output outfile
set title "ward request parsing: median throughput ratio, single core\n{/*0.9 dashed: parity; red dotted: the goal, ward >= 3x llhttp on browser-get}"
set ylabel "ward / peer (requests/s)"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set grid ytics
set key outside bottom center horizontal
set xtics nomirror
# parity, and the goal: ward >= 3x llhttp on the browser GET
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "gray40"
set arrow 2 from graph 0, first 3 to graph 1, first 3 nohead dt 3 lw 1.5 lc rgb "red"
# heads | head + chunked body
set arrow 3 from first nhead - 0.5, graph 0 to first nhead - 0.5, graph 1 nohead lc rgb "gray60"
set label 1 "request heads" at first (nhead - 1) / 2.0, graph 0.97 center font "sans,9" tc rgb "gray30"
set label 2 "head + chunked body (data summed)" at first nhead + 1, graph 0.97 center font "sans,9" tc rgb "gray30"

plot datafile using 9:xtic(2) title "ward / llhttp" lc rgb "#3b6ea8", \
     '' using 10 title "ward / http-parser" lc rgb "#e0a030", \
     '' using ($0 - 1.0/6):9:(sprintf("%.2fx", $9)) with labels offset 0,0.7 notitle, \
     '' using ($0 + 1.0/6):10:(sprintf("%.2fx", $10)) with labels offset 0,0.7 notitle
