# plot.gp - ward's throughput over llhttp's and http-parser's, per corpus,
# from bench_parse's data file. bench/run.sh calls it as
#   gnuplot -e "datafile='build/bench/data.tsv'; outfile='build/bench/ratios.png'" bench/plot.gp
# Columns: idx corpus ward llhttp http_parser (heads/s), the same in bytes/s,
# ward/llhttp, ward/http_parser.

if (!exists("datafile")) datafile = 'build/bench/data.tsv'
if (!exists("outfile")) outfile = 'build/bench/ratios.png'

set terminal pngcairo size 900,520 font "sans,10"
set output outfile
set title "ward request-head parsing: median throughput ratio, single core\n{/*0.9 dashed: parity; red dotted: the goal, ward >= 3x llhttp on browser-get}"
set ylabel "ward / peer (heads/s)"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set key top left
set xtics nomirror
# parity, and the goal: ward >= 3x llhttp on the browser GET
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "gray40"
set arrow 2 from graph 0, first 3 to graph 1, first 3 nohead dt 3 lw 1.5 lc rgb "red"

plot datafile using 9:xtic(2) title "ward / llhttp" lc rgb "#3b6ea8", \
     '' using 10 title "ward / http-parser" lc rgb "#e0a030", \
     '' using ($0 - 1.0/6):9:(sprintf("%.2fx", $9)) with labels offset 0,0.7 notitle, \
     '' using ($0 + 1.0/6):10:(sprintf("%.2fx", $10)) with labels offset 0,0.7 notitle
