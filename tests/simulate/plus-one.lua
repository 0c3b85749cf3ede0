-- A decide hook: one instance more than target tracking asks for whenever it scales out.
return {
    decide = function(s)
        if s.desired > s.capacity + s.pending then
            return s.desired + 1
        end
    end
}
