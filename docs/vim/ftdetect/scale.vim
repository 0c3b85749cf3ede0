" .scale files: auto-scaling policies for SageMaker endpoints (mmec).
autocmd BufRead,BufNewFile *.scale setfiletype scale
